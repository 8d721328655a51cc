//! Real Gotong nodes for the browser tests: each one is the already-built `gotong serve` in
//! development mode, on a free 127.0.0.1 port, with SQLite and its secret key in a temp dir.

import { execFileSync, spawn } from 'node:child_process';
import { createHash, createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSealed } from './sealed.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.GOTONG_BIN ?? join(ROOT, 'target/debug/gotong');
export const LOG_DIR = join(ROOT, 'target/browser-logs');

/** A port the kernel just handed out on 127.0.0.1 and that nobody holds any more. */
function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

export class Node {
  constructor(name, { handle, orgName }) {
    this.name = name;
    this.handle = handle;
    this.orgName = orgName;
    this.lines = [];
    this.setupToken = null;
    this.admin = null; // { username, password } once setup is done
    this.exited = null;
  }

  /** `http://localhost:PORT`: the browser must use the node's own domain, or the forms'
   * Origin check refuses its posts. */
  get base() {
    return `http://${this.domain}`;
  }

  get setupLink() {
    return this.setupToken && `${this.base}/setup?token=${this.setupToken}`;
  }

  url(path) {
    return new URL(path, this.base).toString();
  }

  async start() {
    this.port = await freePort();
    this.domain = `localhost:${this.port}`;
    this.dir = mkdtempSync(join(tmpdir(), `gotong-browser-${this.name}-`));
    // A node refuses GOTONG_* variables it does not know (the harness's own, such as
    // GOTONG_BIN), so the node gets none of the caller's.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('GOTONG_')),
    );
    Object.assign(env, {
      GOTONG_DEV: 'true',
      GOTONG_DOMAIN: this.domain,
      GOTONG_LISTEN: `127.0.0.1:${this.port}`,
      GOTONG_DATABASE_URL: `sqlite://${join(this.dir, 'gotong.db')}`,
      GOTONG_SECRET_KEY_FILE: join(this.dir, 'secret.key'),
      GOTONG_ORG_HANDLE: this.handle,
      GOTONG_ORG_NAME: this.orgName,
      GOTONG_LOG: process.env.GOTONG_LOG ?? 'info',
      // Every flow signs in from 127.0.0.1; the default of 20 a minute is for real visitors.
      GOTONG_LOGIN_RATE_PER_MINUTE: '600',
    });
    this.proc = spawn(BIN, ['serve'], { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
    });
    this.proc.on('error', (e) => {
      this.exited = { error: e.message };
      this.lines.push(`cannot start ${BIN}: ${e.message}`);
    });
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop();
        for (const line of parts) this.#read(line);
      });
    }
    await this.#waitUntilAnswering();
  }

  #read(line) {
    this.lines.push(line);
    const token = line.match(/\/setup\?token=([A-Za-z0-9_-]+)/);
    if (token && !this.setupToken) this.setupToken = token[1];
  }

  async #waitUntilAnswering() {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error(`node ${this.name} exited at start (${JSON.stringify(this.exited)})`);
      }
      try {
        const response = await fetch(this.url('/'), { signal: AbortSignal.timeout(2000) });
        if (response.ok && this.setupToken) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`node ${this.name} did not answer on ${this.base} within 30 s`);
  }

  /** Finishes first-run setup through the JSON API, for flows that need a node set up but
   * are not about setup (the setup flow does it in the browser). */
  async ensureSetUp(password = 'a long passphrase for tests') {
    if (this.admin) return this.admin;
    const response = await fetch(this.url('/api/v1/setup'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: this.setupToken, password }),
    });
    if (!response.ok) {
      throw new Error(`setup of ${this.name} through the API: ${response.status} ${await response.text()}`);
    }
    this.admin = { username: this.adminUsername(), password };
    return this.admin;
  }

  /** A JSON API call as the admin (the token comes from `/api/v1/login`), for preparing
   * what a flow needs but does not test itself. Answers `{ status, body }`. */
  async api(method, path, body) {
    const admin = await this.ensureSetUp();
    if (!this.apiToken) {
      const login = await fetch(this.url('/api/v1/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: admin.username, password: admin.password, label: 'browser tests' }),
      });
      if (!login.ok) throw new Error(`API login on ${this.name}: ${login.status} ${await login.text()}`);
      this.apiToken = (await login.json()).token;
    }
    const response = await fetch(this.url(path), {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiToken}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, body: json };
  }

  /** `name@domain`, the organisation's address for following. */
  get account() {
    return `${this.handle}@${this.domain}`;
  }

  /** The organisation's actor URL. */
  get actor() {
    return this.url(`/o/${this.handle}`);
  }

  /** Has this node's organisation follow `other`'s through the API (for flows that need a
   * follow but are not about following) and waits until `other` accepted it. */
  async follow(other) {
    const { status, body } = await this.api('POST', '/api/v1/following', { handle: `@${other.account}` });
    if (status !== 202 && status !== 200) throw new Error(`follow ${other.account}: ${status} ${JSON.stringify(body)}`);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const list = await this.api('GET', '/api/v1/following');
      if (list.body.some?.((f) => f.account === other.account && f.state === 'accepted')) return;
      await sleep(200);
    }
    throw new Error(`${this.name}'s follow of ${other.account} was not accepted within 15 s`);
  }

  /** Publishes a program through the API; answers its `url` (also its ActivityPub id). */
  async publishProgram(program) {
    const { status, body } = await this.api('POST', '/api/v1/programs', program);
    if (status !== 201) throw new Error(`publish on ${this.name}: ${status} ${JSON.stringify(body)}`);
    return body.url;
  }

  /** Waits until this node holds a copy of the remote object `apId` (its /remote page
   * answers 200); answers that page's URL. */
  async waitForRemote(apId, seconds = 15) {
    const url = this.url(`/remote?id=${encodeURIComponent(apId)}`);
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      const response = await fetch(url).catch(() => null);
      if (response?.status === 200) return url;
      await sleep(200);
    }
    throw new Error(`${this.name} did not receive ${apId} within ${seconds} s`);
  }

  /** Posts `activity` to `to`'s shared inbox signed with this node's organisation key, as
   * this node's server would: for delivering what this node's own forms never produce (raw
   * HTML). The sealed key is read from the node's SQLite database with the `sqlite3` tool
   * and opened with the node's secret key file, as the node opens it. Answers the HTTP
   * status. */
  async deliverSigned(to, activity) {
    const sealed = execFileSync('sqlite3', [
      join(this.dir, 'gotong.db'),
      `SELECT private_key_sealed FROM organisations WHERE handle = '${this.handle}'`,
    ], { encoding: 'utf8' }).trim();
    const secret = readFileSync(join(this.dir, 'secret.key'), 'utf8');
    const pem = openSealed(sealed, secret, 'organisations', 'private_key_sealed', this.handle);
    const body = JSON.stringify(activity);
    const url = new URL('/inbox', to.base);
    const headers = {
      host: url.host,
      date: new Date().toUTCString(),
      digest: `SHA-256=${createHash('sha256').update(body).digest('base64')}`,
      'content-type': 'application/activity+json',
    };
    const names = ['(request-target)', 'host', 'date', 'digest', 'content-type'];
    const signing = names
      .map((n) => (n === '(request-target)' ? `${n}: post ${url.pathname}` : `${n}: ${headers[n]}`))
      .join('\n');
    const signature = createSign('RSA-SHA256').update(signing).sign(pem, 'base64');
    headers.signature = `keyId="${this.actor}#main-key",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`;
    const response = await fetch(url, { method: 'POST', headers, body });
    if (response.status >= 300) throw new Error(`delivery to ${to.name}: ${response.status} ${await response.text()}`);
    return response.status;
  }

  /** The admin's user name, from the line the node printed at first start. */
  adminUsername() {
    for (const line of this.lines) {
      const m = line.match(/and account '([^']+)'/);
      if (m) return m[1];
    }
    throw new Error(`node ${this.name} printed no admin account`);
  }

  log(last = Infinity) {
    const lines = this.lines.slice(-last);
    return lines.join('\n');
  }

  saveLog() {
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, `${this.name}.log`), this.lines.join('\n') + '\n');
  }

  /** Ends the node: SIGTERM, then SIGKILL if it has not gone after three seconds. */
  async stop() {
    if (this.proc && !this.exited) {
      this.proc.kill('SIGTERM');
      const deadline = Date.now() + 3000;
      while (!this.exited && Date.now() < deadline) await sleep(50);
      if (!this.exited) this.proc.kill('SIGKILL');
    }
    this.saveLog();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Last resort on process exit: synchronous, so it runs inside an `exit` handler. */
  killNow() {
    if (this.proc && !this.exited) this.proc.kill('SIGKILL');
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function startNode(name, options) {
  const node = new Node(name, options);
  try {
    await node.start();
  } catch (e) {
    node.saveLog();
    node.killNow();
    throw new Error(`${e.message}\n--- log of node ${name} ---\n${node.log(80)}`);
  }
  return node;
}
