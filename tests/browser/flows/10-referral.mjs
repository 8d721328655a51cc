//! A referral between two nodes in the browser. Alpha's admin creates a caseworker on the
//! accounts page; the caseworker opens beta's program (its copy at /remote), follows "Refer a
//! person", is refused without the consent step, completes it and sends. Beta's caseworker
//! accepts it from the incoming list; alpha's page shows the new status; the two exchange
//! messages. Last, the person asks to be forgotten: alpha's admin erases the referral through
//! the confirmation page, and beta's copy is erased too.

import assert from 'node:assert/strict';

export const title = 'refer a person with the consent step; the other node accepts; messages';

const PROGRAM = {
  name: 'Legal aid for unpaid wages',
  summary: 'Lawyers take wage claims of migrant workers to the labour court.',
  themes: ['legal-aid'],
  countries: ['MY'],
  populations: ['migrant-workers'],
  acceptingReferrals: true,
};
const REFERENCE = 'KL-2024-0142';

export default async function referral(h) {
  const alpha = await h.node('alpha');
  const beta = await h.node('beta');

  let remoteUrl;
  await h.step('alpha follows beta, beta publishes a program, alpha receives it', async () => {
    await alpha.follow(beta);
    const apId = await beta.publishProgram(PROGRAM);
    remoteUrl = await alpha.waitForRemote(apId);
  });

  let caseA;
  let caseB;
  await h.step("alpha's admin creates a caseworker on the accounts page", async () => {
    const admin = await h.newPage();
    await h.signIn(admin, alpha, { next: '/admin/accounts' });
    caseA = await h.createAccount(admin, alpha, 'case-alpha', 'caseworker');
  });
  await h.step("beta's admin creates a caseworker too", async () => {
    const admin = await h.newPage();
    await h.signIn(admin, beta, { next: '/admin/accounts' });
    caseB = await h.createAccount(admin, beta, 'case-beta', 'caseworker');
  });

  const a = await h.newPage();
  await h.step("alpha's caseworker opens beta's program and follows Refer a person", async () => {
    await h.signIn(a, alpha, { as: caseA });
    await a.goto(remoteUrl);
    await a.getByRole('heading', { level: 1, name: PROGRAM.name }).waitFor();
    const [response] = await Promise.all([
      a.waitForResponse((r) => new URL(r.url()).pathname === '/staff/referrals/new'),
      a.getByRole('link', { name: h.t('en', 'referral-refer-person') }).click(),
    ]);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['cache-control'], 'no-store');
    await a.getByRole('heading', { level: 1, name: h.t('en', 'referral-new-title') }).waitFor();
    const target = await a.locator('section[aria-labelledby="referral-to"]').innerText();
    assert.ok(target.includes(PROGRAM.name), target);
    assert.ok(target.includes(beta.account), target);
  });
  await h.step('the referral form passes axe', () => h.axeCheck(a, 'referral form'));

  await h.step('fill in the person and the needs, leaving out consent', async () => {
    await a.getByRole('radio', { name: h.t('en', 'referral-urgency-urgent') }).check();
    await a.getByLabel(h.t('en', 'referral-needs'), { exact: true }).fill('Legal advice on four months of unpaid wages.');
    await a.getByLabel(h.t('en', 'referral-reference'), { exact: true }).fill(REFERENCE);
    await a.getByLabel(h.t('en', 'referral-age-range'), { exact: true }).fill('26-35');
    await a.getByLabel(h.t('en', 'referral-nationality'), { exact: true }).selectOption('MM');
    await a.getByLabel(h.t('en', 'referral-languages'), { exact: true }).fill('my, en');
  });
  await h.step('screenshot the referral form', () => h.screenshot(a, 'referral-new'));

  await h.step('the browser will not send it without the consent step', async () => {
    const missing = await a.locator('input[name=consent]').first().evaluate((input) => input.validity.valueMissing);
    assert.ok(missing, 'the consent choice is not required in the page');
  });

  await h.step('nor will the node: sent anyway, it is refused and nothing is sent', async () => {
    await a.locator('main form[action="/staff/referrals"]').evaluate((form) => {
      form.noValidate = true;
    });
    const [response] = await Promise.all([
      a.waitForResponse((r) => r.request().method() === 'POST'),
      a.getByRole('button', { name: h.t('en', 'referral-send') }).click(),
    ]);
    assert.equal(response.status(), 422);
    const alert = a.getByRole('alert');
    await alert.filter({ hasText: h.t('en', 'referral-not-sent') }).waitFor();
    assert.ok((await alert.innerText()).includes(h.t('en', 'referral-error-consent')), await alert.innerText());
    // What was typed is kept.
    assert.equal(await a.locator('#reference').inputValue(), REFERENCE);
    const outgoing = await alpha.api('GET', '/api/v1/referrals');
    assert.equal(JSON.stringify(outgoing.body).includes(REFERENCE), false, 'a referral was sent');
  });
  await h.step('the refused referral passes axe', () => h.axeCheck(a, 'referral form with errors'));

  let referralPath;
  await h.step('complete the consent step and send', async () => {
    await a.getByRole('radio', { name: h.t('en', 'referral-consent-given') }).check();
    await a.getByLabel(h.t('en', 'referral-given-by'), { exact: true }).fill('the person');
    await a.getByLabel(h.t('en', 'referral-given-at'), { exact: true }).fill(new Date().toISOString().slice(0, 10));
    await a.getByLabel(h.t('en', 'referral-scope'), { exact: true }).fill('Beta may receive the needs and contact channel.');
    await Promise.all([
      a.waitForURL((u) => /^\/staff\/referrals\/\d+$/.test(u.pathname)),
      a.getByRole('button', { name: h.t('en', 'referral-send') }).click(),
    ]);
    referralPath = new URL(a.url()).pathname;
    await a.getByRole('heading', { level: 1, name: h.t('en', 'referral-title-outgoing') }).waitFor();
    assert.ok((await a.locator('main').innerText()).includes(REFERENCE));
  });
  await h.step('the sent referral passes axe', () => h.axeCheck(a, 'referral page (outgoing)'));

  const b = await h.newPage();
  await h.step("beta's caseworker finds it in the incoming list", async () => {
    await h.signIn(b, beta, { as: caseB, next: '/staff/referrals' });
    const incoming = b.locator('section[aria-labelledby="referrals-incoming"]');
    await h.reloadUntil(b, 'the referral in the incoming list', () => incoming.locator('tbody tr').count());
    const row = incoming.locator('tbody tr').first();
    assert.ok((await row.innerText()).includes(PROGRAM.name), await row.innerText());
  });
  await h.step('the referral list passes axe', () => h.axeCheck(b, 'referral list'));
  await h.step('screenshot the referral list', () => h.screenshot(b, 'referrals'));

  await h.step('beta opens it and accepts', async () => {
    const incoming = b.locator('section[aria-labelledby="referrals-incoming"]');
    await Promise.all([
      b.waitForURL((u) => /^\/staff\/referrals\/\d+$/.test(u.pathname)),
      incoming.locator('tbody tr').first().getByRole('link').click(),
    ]);
    await b.getByRole('heading', { level: 1, name: h.t('en', 'referral-title-incoming') }).waitFor();
    const main = await b.locator('main').innerText();
    assert.ok(main.includes(REFERENCE) && main.includes('the person'), main);
    await h.axeCheck(b, 'referral page (incoming)');
    await Promise.all([
      b.waitForResponse((r) => r.request().method() === 'POST'),
      b.getByRole('button', { name: h.t('en', 'referral-action-accepted'), exact: true }).click(),
    ]);
    await b.locator('#referral-status[data-status="accepted"]').waitFor();
  });

  await h.step("alpha's page shows the referral accepted", async () => {
    await h.reloadUntil(a, 'the status to become accepted on alpha', async () =>
      (await a.locator('#referral-status').getAttribute('data-status')) === 'accepted',
    );
    assert.equal((await a.locator('#referral-status').innerText()).trim(), h.t('en', 'referral-status-accepted'));
  });

  await h.step('alpha writes a message; beta reads it', async () => {
    await a.getByLabel(h.t('en', 'referral-message-label'), { exact: true }).fill('She can come on Monday morning.');
    await Promise.all([
      a.waitForResponse((r) => r.request().method() === 'POST'),
      a.getByRole('button', { name: h.t('en', 'referral-message-send') }).click(),
    ]);
    await a.locator('section[aria-labelledby="messages"]').getByText('She can come on Monday morning.').waitFor();
    await h.reloadUntil(b, "alpha's message on beta", () =>
      b.locator('section[aria-labelledby="messages"]').getByText('She can come on Monday morning.').count(),
    );
  });

  await h.step('beta answers; alpha reads it', async () => {
    await b.getByLabel(h.t('en', 'referral-message-label'), { exact: true }).fill('Monday at 9 is fine; ask for Siti.');
    await Promise.all([
      b.waitForResponse((r) => r.request().method() === 'POST'),
      b.getByRole('button', { name: h.t('en', 'referral-message-send') }).click(),
    ]);
    await h.reloadUntil(a, "beta's answer on alpha", () =>
      a.locator('section[aria-labelledby="messages"]').getByText('Monday at 9 is fine; ask for Siti.').count(),
    );
    assert.equal(new URL(a.url()).pathname, referralPath);
  });
  await h.step('the referral page with messages passes axe', () => h.axeCheck(a, 'referral page with messages'));
  await h.step('screenshot the referral page', () => h.screenshot(a, 'referral'));

  await h.step("alpha's admin erases the referral through the confirmation page", async () => {
    const admin = await h.newPage();
    await h.signIn(admin, alpha, { next: referralPath });
    await admin.getByRole('heading', { level: 1, name: h.t('en', 'referral-title-outgoing') }).waitFor();
    await Promise.all([
      admin.waitForURL((u) => u.pathname === `${referralPath}/erase`),
      admin.getByRole('button', { name: h.t('en', 'referral-erase-start') }).click(),
    ]);
    await admin.getByRole('heading', { level: 1, name: h.t('en', 'referral-erase-title') }).waitFor();
    assert.equal((await admin.locator('main').innerText()).includes(REFERENCE), false, 'the confirmation shows personal data');
    await h.axeCheck(admin, 'referral erase confirmation');
    await Promise.all([
      admin.waitForURL((u) => u.pathname === referralPath),
      admin.getByRole('button', { name: h.t('en', 'referral-erase-confirm') }).click(),
    ]);
    const main = await admin.locator('main').innerText();
    assert.ok(main.includes(h.t('en', 'referral-erased')), main);
    assert.equal(main.includes(REFERENCE), false, 'the reference is still shown');
  });

  await h.step("beta's copy is erased too", async () => {
    await h.reloadUntil(b, 'the erasure on beta', async () =>
      !(await b.locator('main').innerText()).includes(REFERENCE),
    );
    assert.ok((await b.locator('main').innerText()).includes(h.t('en', 'referral-erased')));
  });
}
