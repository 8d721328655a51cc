//! The browser-test harness: Debian's headless Chromium driven by playwright-core, real nodes
//! (`nodes.mjs`), and the helpers every flow uses: steps that name themselves when they fail,
//! axe-core checks, screenshots, the catalogues' text.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, startNode } from './nodes.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.GOTONG_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'target/browser-screenshots');
export const DOC_SHOTS = join(ROOT, 'docs/screenshots');
const UPDATE_DOCS = process.env.GOTONG_UPDATE_SCREENSHOTS === '1';

/** Without the background-networking flags Chromium keeps calling home, which on a closed
 * network only fills the logs with failures. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Each node the flows may ask for; started on first use. */
const NODES = {
  alpha: { handle: 'alpha', orgName: 'Alpha Relief' },
  beta: { handle: 'beta', orgName: 'Beta Refugee Rights' },
  gamma: { handle: 'gamma', orgName: 'Gamma Crescent' },
};

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };

export class Harness {
  static async start() {
    const h = new Harness();
    h.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SHOTS, { recursive: true });
    // The nodes must not outlive the tests, however these end.
    process.on('exit', () => h.nodes.forEach((n) => n.killNow()));
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.on(signal, () => {
        h.nodes.forEach((n) => n.killNow());
        process.exit(130);
      });
    }
    return h;
  }

  constructor() {
    this.nodes = new Map();
    this.contexts = [];
    this.flow = null;
    this.currentStep = null;
  }

  /** The node called `name`, started (not yet set up) on first use. */
  async node(name) {
    if (!this.nodes.has(name)) {
      const options = NODES[name] ?? { handle: name, orgName: name };
      this.nodes.set(name, await startNode(name, options));
    }
    return this.nodes.get(name);
  }

  /** A fresh browser context (its own cookies) and a page in it. `mobile` gives a phone-sized
   * touch viewport. The pages' CSP stays in force: axe is evaluated through the DevTools
   * protocol, which the CSP does not govern, so the test sees what a visitor's browser
   * enforces. Messages about refused resources (a CSP violation) are kept for `axeCheck`. */
  async newPage({ mobile = false, locale = 'en-GB' } = {}) {
    const context = await this.browser.newContext({
      viewport: mobile ? MOBILE : DESKTOP,
      isMobile: mobile,
      hasTouch: mobile,
      deviceScaleFactor: 1,
      locale,
    });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.refusals = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Refused to|Content Security Policy/i.test(m.text())) {
        page.refusals.push(m.text());
      }
    });
    page.on('pageerror', (e) => page.refusals.push(`script error: ${e.message}`));
    return page;
  }

  /** Runs one named step; a failure says which flow and step it was. */
  async step(title, fn) {
    this.currentStep = title;
    try {
      return await fn();
    } catch (e) {
      throw new Error(`[${this.flow}] step "${title}" failed: ${e.message}`, { cause: e });
    }
  }

  /** axe-core on the page as it is now: zero serious or critical violations, listed by rule,
   * impact and element when there are some. Also no content refused by the page's own CSP. */
  async axeCheck(page, name) {
    await page.evaluate(AXE_SOURCE);
    const results = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(document, { resultTypes: ['violations'] }),
    );
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const report = bad
      .map((v) => {
        const nodes = v.nodes.map((n) => `      ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`);
        return `  ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
      })
      .join('\n');
    assert.equal(bad.length, 0, `axe-core on ${name} (${page.url()}):\n${report}`);
    assert.deepEqual(page.refusals, [], `${name}: the browser refused content on ${page.url()}`);
    return results;
  }

  /** Saves `target/browser-screenshots/<name>.png`; with GOTONG_UPDATE_SCREENSHOTS=1 also
   * `docs/screenshots/<name>.png` (unless `docs: false`: shots of error states). */
  async screenshot(page, name, { docs = true } = {}) {
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (UPDATE_DOCS && docs) {
      mkdirSync(DOC_SHOTS, { recursive: true });
      copyFileSync(file, join(DOC_SHOTS, `${name}.png`));
    }
    return file;
  }

  /** Opens the login page and signs in with the form, as the node's admin (set up first if
   * needed) or as `as: { username, password }`. */
  async signIn(page, node, { next = '/staff', as } = {}) {
    const who = as ?? (await node.ensureSetUp());
    await page.goto(node.url(`/login?next=${encodeURIComponent(next)}`));
    await page.getByLabel(this.t('en', 'login-username')).fill(who.username);
    await page.getByLabel(this.t('en', 'login-password')).fill(who.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === next),
      page.locator('main form button[type=submit]').click(),
    ]);
  }

  /** The page does not scroll sideways: every line fits the viewport. */
  async noSidewaysScroll(page) {
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${page.url()} is ${scroll}px wide in a ${client}px viewport`);
  }

  /** Polls `fn` until it answers something truthy (which is returned), for `seconds` at most:
   * the other node's news arrives asynchronously. Never a fixed sleep. */
  async until(what, fn, { seconds = 15, every = 200 } = {}) {
    const deadline = Date.now() + seconds * 1000;
    let last;
    for (;;) {
      try {
        const value = await fn();
        if (value) return value;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) {
        throw new Error(`waited ${seconds} s for ${what}${last ? ` (last error: ${last.message})` : ''}`);
      }
      await new Promise((ok) => setTimeout(ok, every));
    }
  }

  /** Reloads `page` (opening `url` first when given) until `check(page)` holds. */
  async reloadUntil(page, what, check, { url, seconds = 15 } = {}) {
    if (url) await page.goto(url);
    let first = true;
    return this.until(what, async () => {
      if (!first) await page.reload();
      first = false;
      return check(page);
    }, { seconds, every: 300 });
  }

  /** Creates a staff account on the admin's accounts page (`adminPage` is signed in as an
   * admin of `node`); answers `{ username, password }`. */
  async createAccount(adminPage, node, username, role) {
    const password = `${username} passphrase 42`;
    await adminPage.goto(node.url('/admin/accounts'));
    const form = adminPage.locator('form[action="/admin/accounts"]');
    await form.getByLabel(this.t('en', 'login-username'), { exact: true }).fill(username);
    await form.getByLabel(this.t('en', 'admin-accounts-role'), { exact: true }).selectOption(role);
    await form.getByLabel(this.t('en', 'admin-accounts-password'), { exact: true }).fill(password);
    await Promise.all([
      adminPage.waitForURL((u) => u.pathname === '/admin/accounts' && u.search.includes('done')),
      form.getByRole('button', { name: this.t('en', 'admin-accounts-create') }).click(),
    ]);
    await adminPage.getByRole('status').filter({ hasText: this.t('en', 'admin-done-account') }).waitFor();
    await adminPage.getByRole('rowheader', { name: username }).waitFor();
    return { username, password };
  }

  /** A catalogue's text for `key` in `lang`, read from the .ftl files the node is built with
   * (single-line messages only). */
  t(lang, key) {
    this.catalogues ??= {};
    if (!this.catalogues[lang]) {
      const dir = join(ROOT, 'src/web/locales', lang);
      const messages = {};
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ftl'))) {
        for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
          const m = line.match(/^([a-z][a-z0-9-]*)\s*=\s*(.+)$/);
          if (m) messages[m[1]] = m[2].trim();
        }
      }
      this.catalogues[lang] = messages;
    }
    const text = this.catalogues[lang][key];
    assert.ok(text, `no message ${key} in the ${lang} catalogue`);
    return text;
  }

  /** Closes the flow's browser contexts. */
  async endFlow() {
    for (const context of this.contexts.splice(0)) await context.close().catch(() => {});
  }

  /** After a failed flow: a screenshot of every open page and the nodes' recent logs. */
  async reportFailure(flow, error) {
    const lines = [`\n=== browser flow ${flow} failed in step "${this.currentStep}": ${error.message}`];
    let i = 0;
    for (const context of this.contexts) {
      for (const page of context.pages()) {
        const file = join(SHOTS, `FAILED-${flow}-${i++}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        lines.push(`page ${page.url()} (screenshot ${file})`);
      }
    }
    for (const node of this.nodes.values()) {
      lines.push(`--- last lines of node ${node.name} (${node.base}; whole log in target/browser-logs/${node.name}.log) ---`);
      lines.push(node.log(60));
      node.saveLog();
    }
    console.error(lines.join('\n'));
  }

  async close() {
    await this.endFlow();
    await this.browser?.close().catch(() => {});
    for (const node of this.nodes.values()) await node.stop();
  }
}
