//! Opens a value the node sealed (src/domain/sealing.rs), written apart from the Rust code so
//! that the format is checked by a second implementation: `sealed:v2:<key id>:<base64>`, the
//! base64 holding a 24-byte XChaCha20 nonce then the ciphertext and its 16-byte tag, with the
//! value's table, column and row as associated data.
//!
//! Node's crypto has ChaCha20-Poly1305 with 12-byte nonces only; XChaCha20 is that cipher
//! under a subkey derived with HChaCha20 from the first 16 nonce bytes (draft-irtf-cfrg-xchacha).

import { createDecipheriv } from 'node:crypto';

const rotl = (v, n) => ((v << n) | (v >>> (32 - n))) >>> 0;

function quarter(s, a, b, c, d) {
  s[a] = (s[a] + s[b]) >>> 0; s[d] = rotl(s[d] ^ s[a], 16);
  s[c] = (s[c] + s[d]) >>> 0; s[b] = rotl(s[b] ^ s[c], 12);
  s[a] = (s[a] + s[b]) >>> 0; s[d] = rotl(s[d] ^ s[a], 8);
  s[c] = (s[c] + s[d]) >>> 0; s[b] = rotl(s[b] ^ s[c], 7);
}

/** HChaCha20: the ChaCha20 rounds over key and 16 nonce bytes, without the final addition. */
function hchacha20(key, nonce16) {
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) s[4 + i] = key.readUInt32LE(4 * i);
  for (let i = 0; i < 4; i++) s[12 + i] = nonce16.readUInt32LE(4 * i);
  for (let round = 0; round < 10; round++) {
    quarter(s, 0, 4, 8, 12); quarter(s, 1, 5, 9, 13); quarter(s, 2, 6, 10, 14); quarter(s, 3, 7, 11, 15);
    quarter(s, 0, 5, 10, 15); quarter(s, 1, 6, 11, 12); quarter(s, 2, 7, 8, 13); quarter(s, 3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((w, i) => out.writeUInt32LE(s[w], 4 * i));
  return out;
}

/** The associated data of a value living in `table`.`column` of the row `row`. */
function binding(table, column, row) {
  const parts = [Buffer.from('gotong-sealed-v2')];
  for (const part of [table, column, row]) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(bytes.length));
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

/** Opens `sealed` with the base64 key `keyText`, bound to `table`.`column` of row `row`. */
export function openSealed(sealed, keyText, table, column, row) {
  const match = /^sealed:v2:[0-9a-f]+:(.+)$/.exec(sealed);
  if (!match) throw new Error('not a sealed value of version 2');
  const bytes = Buffer.from(match[1], 'base64');
  const key = Buffer.from(keyText.trim(), 'base64');
  const nonce = bytes.subarray(0, 24);
  const tag = bytes.subarray(bytes.length - 16);
  const text = bytes.subarray(24, bytes.length - 16);
  const subkey = hchacha20(key, nonce.subarray(0, 16));
  const iv = Buffer.concat([Buffer.alloc(4), nonce.subarray(16)]);
  const decipher = createDecipheriv('chacha20-poly1305', subkey, iv, { authTagLength: 16 });
  decipher.setAAD(binding(table, column, row), { plaintextLength: text.length });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(text), decipher.final()]).toString('utf8');
}
