//! Runs every flow in `flows/` (in file-name order) against nodes the harness starts, in one
//! headless Chromium. GOTONG_BROWSER_FLOWS=login,csrf runs only the flows whose file names
//! contain one of those words.

import { test, before, after } from 'node:test';
import { readdirSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Harness } from './harness.mjs';

const FLOWS = join(dirname(fileURLToPath(import.meta.url)), 'flows');
const only = (process.env.GOTONG_BROWSER_FLOWS ?? '').split(',').filter(Boolean);
const files = readdirSync(FLOWS)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => only.length === 0 || only.some((word) => f.includes(word)))
  .sort();

let h;
before(async () => {
  h = await Harness.start();
});
after(async () => {
  await h?.close();
});

for (const file of files) {
  const flow = await import(pathToFileURL(join(FLOWS, file)));
  const name = basename(file, '.mjs');
  test(`${name}: ${flow.title ?? ''}`, { timeout: 120_000 }, async () => {
    h.flow = name;
    h.currentStep = '(start)';
    try {
      await flow.default(h);
    } catch (e) {
      await h.reportFailure(name, e);
      throw e;
    } finally {
      await h.endFlow();
    }
  });
}
