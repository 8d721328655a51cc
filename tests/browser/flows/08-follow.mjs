//! Following another node by its handle from the network page: a mistyped address is refused
//! under the field; the real one is accepted by the other node; what it publishes next arrives
//! in the home feed and the directory, and opens at /remote marked with its node.

import assert from 'node:assert/strict';

export const title = 'follow another node by handle and see its content arrive';

const PROGRAM = {
  name: 'Shelter and legal help for survivors of trafficking',
  summary: 'Safe housing for up to 30 days, with a lawyer on call.',
  text: 'Referrals from partner organisations are answered within a day.',
  themes: ['shelter', 'trafficking'],
  countries: ['MY'],
  populations: ['trafficked-persons'],
  acceptingReferrals: true,
};

export default async function follow(h) {
  const alpha = await h.node('alpha');
  const beta = await h.node('beta');
  await beta.ensureSetUp();
  const page = await h.newPage();
  await h.step('sign in on alpha', () => h.signIn(page, alpha, { next: '/staff/follows' }));

  await h.step('the network page shows our own address', async () => {
    await page.getByRole('heading', { level: 1, name: h.t('en', 'network-title') }).waitFor();
    assert.match(await page.locator('main').innerText(), new RegExp(`@${alpha.account}`));
  });
  await h.step('network page passes axe', () => h.axeCheck(page, 'network'));

  const handle = page.getByLabel(h.t('en', 'network-handle'), { exact: true });
  const followButton = page.getByRole('button', { name: h.t('en', 'network-follow-button'), exact: true });

  await h.step('an address that is not @name@server is refused under the field', async () => {
    await handle.fill('beta at their server');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      followButton.click(),
    ]);
    assert.equal(response.status(), 422);
    await page.getByRole('alert').filter({ hasText: h.t('en', 'network-follow-failed') }).waitFor();
    assert.equal(await handle.getAttribute('aria-invalid'), 'true');
    assert.equal((await page.locator('#handle-error').innerText()).trim(), h.t('en', 'follow-error-handle'));
  });
  await h.step('the refused follow passes axe', () => h.axeCheck(page, 'network with an error'));

  await h.step('follow beta by its handle', async () => {
    await handle.fill(`@${beta.account}`);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/follows' && u.search.includes('done')),
      followButton.click(),
    ]);
    await page.getByRole('status').filter({ hasText: h.t('en', 'network-done-requested') }).waitFor();
  });

  await h.step('beta accepts; the page shows "Following"', async () => {
    const following = page.locator('section[aria-labelledby="following-heading"] li.card').filter({ hasText: beta.account });
    await h.reloadUntil(page, 'the follow to show as accepted', async () =>
      (await following.innerText()).includes(h.t('en', 'network-state-accepted')),
    );
  });
  await h.step('screenshot the network page', () => h.screenshot(page, 'network'));

  await h.step("beta's network page lists alpha as a follower", async () => {
    const betaPage = await h.newPage();
    await h.signIn(betaPage, beta, { next: '/staff/follows' });
    const followers = betaPage.locator('section[aria-labelledby="followers-heading"]');
    await followers.getByRole('link', { name: alpha.account }).waitFor();
    await h.axeCheck(betaPage, 'network with a follower');
  });

  let apId;
  await h.step('beta publishes a program', async () => {
    apId = await beta.publishProgram(PROGRAM);
  });

  await h.step("the program arrives in alpha's home feed", async () => {
    await page.goto(alpha.url('/staff'));
    const item = page.locator('main li.card').filter({ hasText: PROGRAM.name });
    await h.reloadUntil(page, "beta's program in the home feed", () => item.count());
    assert.match(await item.innerText(), new RegExp(beta.domain));
  });
  await h.step('home feed passes axe', () => h.axeCheck(page, 'home feed with remote content'));
  await h.step('screenshot the home feed', () => h.screenshot(page, 'home-feed'));

  await h.step('the directory lists it, marked with its node', async () => {
    await page.goto(alpha.url('/directory'));
    const card = page.locator('main li.card').filter({ hasText: PROGRAM.name });
    await card.waitFor();
    assert.match(await card.locator('.origin').innerText(), new RegExp(beta.domain));
  });

  await h.step('it opens at /remote with its node and the original', async () => {
    const card = page.locator('main li.card').filter({ hasText: PROGRAM.name });
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/remote' && u.searchParams.get('id') === apId),
      card.getByRole('link', { name: PROGRAM.name, exact: true }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: PROGRAM.name }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, new RegExp(beta.domain));
    assert.ok(main.includes(h.t('en', 'theme-shelter')), main);
    const original = page.getByRole('link', { name: h.t('en', 'remote-original') });
    assert.equal(await original.getAttribute('href'), apId);
    // The admin may refer people: the program accepts referrals.
    await page.getByRole('link', { name: h.t('en', 'referral-refer-person') }).waitFor();
  });
  await h.step('remote object page passes axe', () => h.axeCheck(page, 'remote object'));
  await h.step('screenshot the remote object page', () => h.screenshot(page, 'remote-object'));
}
