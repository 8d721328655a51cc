//! A form whose `_csrf` hidden field was altered in the page is refused with 403 and changes
//! nothing: the sign-out form keeps the session, the login form signs no one in.

import assert from 'node:assert/strict';

export const title = 'a post with an altered _csrf field is refused with 403';

export default async function csrf(h) {
  const node = await h.node('alpha');
  const admin = await node.ensureSetUp();
  const page = await h.newPage();
  await h.step('sign in', () => h.signIn(page, node));

  await h.step('sign out with an altered token is refused with 403', async () => {
    await page.locator('form.signout input[name=_csrf]').evaluate((input) => {
      // Another first character, whatever the token starts with (a fixed 'x' left one token
      // in 64 unchanged).
      input.value = (input.value[0] === 'x' ? 'y' : 'x') + input.value.slice(1);
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/logout')),
      page.getByRole('button', { name: h.t('en', 'sign-out') }).click(),
    ]);
    assert.equal(response.status(), 403);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'error-csrf') }).waitFor();
  });
  await h.step('the refusal page passes axe', () => h.axeCheck(page, 'error page (403)'));
  await h.step('screenshot the refusal', () => h.screenshot(page, 'csrf-refused', { docs: false }));

  await h.step('the session is still open', async () => {
    const response = await page.goto(node.url('/staff'));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/staff');
  });

  await h.step('a login with the token removed is refused and signs no one in', async () => {
    const anonymous = await h.newPage();
    await anonymous.goto(node.url('/login'));
    await anonymous.locator('input[name=_csrf]').evaluate((input) => input.remove());
    await anonymous.getByLabel(h.t('en', 'login-username'), { exact: true }).fill(admin.username);
    await anonymous.getByLabel(h.t('en', 'login-password'), { exact: true }).fill(admin.password);
    const [response] = await Promise.all([
      anonymous.waitForResponse((r) => r.request().method() === 'POST'),
      anonymous.getByRole('button', { name: h.t('en', 'sign-in') }).click(),
    ]);
    assert.equal(response.status(), 403);
    const staff = await anonymous.goto(node.url('/staff'));
    assert.equal(new URL(anonymous.url()).pathname, '/login', `signed in anyway (${staff.status()})`);
  });
}
