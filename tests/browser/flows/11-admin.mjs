//! The administration pages: create an account and change its role, add a domain rule, read
//! the deliveries to a followed node and the audit log; every admin page, reports and
//! moderation included, passes axe.

import assert from 'node:assert/strict';

export const title = 'admin: accounts and roles, a domain rule, deliveries, audit log';

export default async function admin(h) {
  const alpha = await h.node('alpha');
  const beta = await h.node('beta');
  // Something to deliver: the follow (and, after earlier flows, more).
  await h.step('alpha follows beta through the API', () => alpha.follow(beta));

  const page = await h.newPage();
  await h.step('sign in and open the overview from the navigation', async () => {
    await h.signIn(page, alpha);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin'),
      page.getByRole('link', { name: h.t('en', 'nav-admin'), exact: true }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'admin-title') }).waitFor();
  });
  await h.step('overview passes axe', () => h.axeCheck(page, 'admin overview'));

  await h.step('settings page passes axe', async () => {
    await page.getByRole('navigation', { name: h.t('en', 'admin-sections-label') })
      .getByRole('link', { name: h.t('en', 'admin-section-settings') }).click();
    await page.getByRole('heading', { level: 1, name: h.t('en', 'admin-section-settings') }).waitFor();
    assert.equal(await page.getByLabel(h.t('en', 'admin-settings-name'), { exact: true }).inputValue() !== '', true);
    await h.axeCheck(page, 'admin settings');
  });

  await h.step('create an editor account', () => h.createAccount(page, alpha, 'ed-wulan', 'editor'));
  await h.step('accounts page passes axe', () => h.axeCheck(page, 'admin accounts'));
  await h.step('screenshot the accounts page', () => h.screenshot(page, 'admin-accounts'));

  await h.step('change the new account to caseworker', async () => {
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'ed-wulan' }) });
    const role = row.getByRole('combobox', { name: 'Role of ed-wulan' });
    assert.equal(await role.inputValue(), 'editor');
    await role.selectOption('caseworker');
    await Promise.all([
      page.waitForURL((u) => u.search.includes('done')),
      row.getByRole('button', { name: h.t('en', 'admin-accounts-change-role') }).click(),
    ]);
    await page.getByRole('status').filter({ hasText: h.t('en', 'admin-done-role') }).waitFor();
    const after = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'ed-wulan' }) });
    assert.equal(await after.getByRole('combobox').inputValue(), 'caseworker');
  });

  await h.step('an admin cannot demote themself', async () => {
    const me = alpha.admin.username;
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${me}`) }) });
    await row.getByRole('combobox').selectOption('editor');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      row.getByRole('button', { name: h.t('en', 'admin-accounts-change-role') }).click(),
    ]);
    assert.ok(response.status() >= 400, `demoting oneself answered ${response.status()}`);
    await page.getByRole('alert').filter({ hasText: h.t('en', 'admin-accounts-cannot-demote-self') }).waitFor();
    await h.axeCheck(page, 'admin accounts with an error');
  });

  await h.step('add a domain rule on the federation page', async () => {
    await page.goto(alpha.url('/admin/federation'));
    await page.getByRole('heading', { level: 1, name: h.t('en', 'admin-section-federation') }).waitFor();
    const form = page.locator('form[action="/admin/federation/rules"]');
    await form.getByLabel(h.t('en', 'admin-federation-domain'), { exact: true }).fill('spam.example');
    await form.getByRole('radio', { name: h.t('en', 'admin-rule-block') }).check();
    await form.getByLabel(h.t('en', 'admin-federation-reason'), { exact: true }).fill('Sends unsolicited posts');
    await Promise.all([
      page.waitForURL((u) => u.search.includes('done')),
      form.getByRole('button', { name: h.t('en', 'admin-federation-add') }).click(),
    ]);
    await page.getByRole('status').filter({ hasText: h.t('en', 'admin-done-rule') }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'spam.example' });
    assert.ok((await row.innerText()).includes('Sends unsolicited posts'));
    assert.ok((await row.innerText()).includes(h.t('en', 'admin-rule-block')));
  });
  await h.step('federation page passes axe', () => h.axeCheck(page, 'admin federation'));

  await h.step('the deliveries page shows what reached beta', async () => {
    const card = page.locator('main li.destination').filter({ hasText: beta.domain });
    await h.reloadUntil(page, 'a delivered count for beta', async () => {
      if (!(await card.count())) return false;
      const text = await card.innerText();
      const delivered = text.match(new RegExp(`${h.t('en', 'admin-deliveries-delivered')}\\s*(\\d+)`));
      return delivered && Number(delivered[1]) >= 1;
    }, { url: alpha.url('/admin/deliveries') });
    await page.getByRole('heading', { level: 2, name: beta.domain }).waitFor();
  });
  await h.step('deliveries page passes axe', () => h.axeCheck(page, 'admin deliveries'));
  await h.step('screenshot the deliveries page', () => h.screenshot(page, 'admin-deliveries'));

  await h.step('the audit log shows what the log holds', async () => {
    await page.goto(alpha.url('/admin/audit'));
    await page.getByRole('heading', { level: 1, name: h.t('en', 'admin-section-audit') }).waitFor();
    const { body } = await alpha.api('GET', '/api/v1/admin/audit?limit=50');
    const rows = await page.locator('main tbody tr').count();
    assert.equal(rows, Math.min(body.length, 50));
    if (body.length === 0) await page.getByText(h.t('en', 'admin-audit-empty')).waitFor();
  });
  await h.step('audit page passes axe', () => h.axeCheck(page, 'admin audit log'));
  await h.step('screenshot the audit log', () => h.screenshot(page, 'admin-audit'));

  for (const section of ['reports', 'moderation']) {
    await h.step(`${section} page passes axe`, async () => {
      await page.getByRole('navigation', { name: h.t('en', 'admin-sections-label') })
        .getByRole('link', { name: h.t('en', `admin-section-${section}`) }).click();
      await page.getByRole('heading', { level: 1, name: h.t('en', `admin-section-${section}`) }).waitFor();
      await h.axeCheck(page, `admin ${section}`);
    });
  }
  await h.step('the suspend confirmation page passes axe', async () => {
    const form = page.locator('form[action="/admin/moderation/suspend"]');
    await form.getByRole('textbox').first().fill(beta.actor);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin/moderation/suspend'),
      form.getByRole('button').first().click(),
    ]);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'moderation-suspend-title') }).waitFor();
    await h.axeCheck(page, 'admin suspend confirmation');
  });
  await h.step('the key rotation confirmation page passes axe', async () => {
    await page.goto(alpha.url('/admin/settings/rotate-key'));
    await page.getByRole('heading', { level: 1, name: h.t('en', 'admin-rotate-title') }).waitFor();
    await h.axeCheck(page, 'admin key rotation confirmation');
  });
}
