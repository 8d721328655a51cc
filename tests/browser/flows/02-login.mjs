//! Signing out and in again with the login form; a staff page sends anonymous visitors to the
//! login form and back after signing in; a wrong password is refused with an alert.

import assert from 'node:assert/strict';

export const title = 'sign out, and sign in again with the login form';

export default async function login(h) {
  const node = await h.node('alpha');
  const admin = await node.ensureSetUp();
  const page = await h.newPage();

  await h.step('sign in', () => h.signIn(page, node));

  await h.step('sign out from the header', async () => {
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/'),
      page.getByRole('button', { name: h.t('en', 'sign-out') }).click(),
    ]);
    await page.getByRole('link', { name: h.t('en', 'sign-in'), exact: true }).waitFor();
  });

  await h.step('the staff home now asks to sign in', async () => {
    await page.goto(node.url('/staff'));
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.getByRole('heading', { level: 1, name: h.t('en', 'sign-in') }).waitFor();
  });
  await h.step('login page passes axe', () => h.axeCheck(page, 'login'));
  await h.step('screenshot the login page', () => h.screenshot(page, 'login'));

  await h.step('a wrong password is refused', async () => {
    await page.getByLabel(h.t('en', 'login-username'), { exact: true }).fill(admin.username);
    await page.getByLabel(h.t('en', 'login-password'), { exact: true }).fill('not the password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: h.t('en', 'sign-in') }).click(),
    ]);
    assert.equal(response.status(), 401);
    const alert = page.getByRole('alert');
    assert.equal((await alert.innerText()).trim(), h.t('en', 'login-failed'));
    // The username stays filled in; the password does not.
    assert.equal(await page.locator('#username').inputValue(), admin.username);
    assert.equal(await page.locator('#password').inputValue(), '');
  });
  await h.step('the refused login passes axe', () => h.axeCheck(page, 'login with an error'));
  await h.step('screenshot the refused login', () => h.screenshot(page, 'login-failed', { docs: false }));

  await h.step('the right password signs in and returns to the staff home', async () => {
    await page.getByLabel(h.t('en', 'login-password'), { exact: true }).fill(admin.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff'),
      page.getByRole('button', { name: h.t('en', 'sign-in') }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'nav-home-feed') }).waitFor();
  });

  await h.step('the session cookie is HttpOnly', async () => {
    const cookies = await page.context().cookies();
    const session = cookies.filter((c) => c.httpOnly);
    assert.ok(session.length >= 1, `no HttpOnly cookie among ${cookies.map((c) => c.name)}`);
  });
}
