//! First-run setup in the browser from the link the node printed at its first start: choose
//! the password, name and describe the organisation, land on the staff home signed in.

import assert from 'node:assert/strict';

export const title = 'first-run setup from the printed link lands on the staff home';

export default async function setup(h) {
  const node = await h.node('alpha');
  const page = await h.newPage();
  const password = 'tamarind monsoon lantern ferry';
  const orgName = 'Alpha Relief Society';

  await h.step('open the printed setup link', async () => {
    assert.ok(node.setupLink, 'the node printed no setup link');
    const response = await page.goto(node.setupLink);
    assert.equal(response.status(), 200);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'setup-title') }).waitFor();
    assert.match(await page.locator('main').innerText(), new RegExp(node.adminUsername()));
  });
  await h.step('setup page passes axe', () => h.axeCheck(page, 'setup'));
  await h.step('screenshot the setup page', () => h.screenshot(page, 'setup'));

  await h.step('a short password is refused with the reason', async () => {
    await page.getByLabel(h.t('en', 'setup-password'), { exact: true }).fill('short');
    await page.getByLabel(h.t('en', 'setup-org-name'), { exact: true }).fill(orgName);
    // The browser's own minlength check would stop the post; the server's check is tested.
    await page.locator('#password').evaluate((input) => input.removeAttribute('minlength'));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: h.t('en', 'setup-submit') }).click(),
    ]);
    assert.equal(response.status(), 422);
    await page.getByRole('alert').waitFor();
  });
  await h.step('the refused form passes axe', () => h.axeCheck(page, 'setup with an error'));

  await h.step('choose the password and describe the organisation', async () => {
    await page.getByLabel(h.t('en', 'setup-password'), { exact: true }).fill(password);
    await page.getByLabel(h.t('en', 'setup-org-name'), { exact: true }).fill(orgName);
    await page
      .getByLabel(h.t('en', 'setup-org-summary'), { exact: true })
      .fill('Emergency relief, restoring family links and health services for migrants.');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff'),
      page.getByRole('button', { name: h.t('en', 'setup-submit') }).click(),
    ]);
    node.admin = { username: node.adminUsername(), password };
  });

  await h.step('the staff home greets the admin', async () => {
    await page.getByRole('heading', { level: 1, name: h.t('en', 'nav-home-feed') }).waitFor();
    assert.match(await page.locator('main').innerText(), new RegExp(node.admin.username));
    await page.getByRole('button', { name: h.t('en', 'sign-out') }).waitFor();
  });
  await h.step('staff home passes axe', () => h.axeCheck(page, 'staff home'));
  await h.step('screenshot the staff home', () => h.screenshot(page, 'staff-home'));

  await h.step('the profile shows the name chosen at setup', async () => {
    await page.goto(node.url(`/o/${node.handle}`));
    await page.getByRole('heading', { level: 1, name: orgName }).waitFor();
  });

  await h.step('the setup link works only once', async () => {
    const response = await page.goto(node.setupLink);
    assert.equal(response.status(), 404);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'setup-link-invalid') }).waitFor();
  });
  await h.step('the error page passes axe', () => h.axeCheck(page, 'error page'));
}
