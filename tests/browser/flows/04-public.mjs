//! The public pages a reader sees without signing in: the node's front page and an
//! organisation's profile, on a desktop and on a phone.

import assert from 'node:assert/strict';

export const title = 'public home and organisation profile, desktop and mobile';

export default async function publicPages(h) {
  const node = await h.node('alpha');
  await node.ensureSetUp();

  for (const mobile of [false, true]) {
    const suffix = mobile ? '-mobile' : '';
    const page = await h.newPage({ mobile });

    await h.step(`open the front page${suffix}`, async () => {
      const response = await page.goto(node.url('/'));
      assert.equal(response.status(), 200);
      await page.getByRole('heading', { level: 1, name: h.t('en', 'home-title') }).waitFor();
      await page.getByRole('search').waitFor();
      await page.getByRole('link', { name: h.t('en', 'sign-in'), exact: true }).waitFor();
    });
    await h.step(`front page${suffix} passes axe`, () => h.axeCheck(page, `home${suffix}`));
    await h.step(`nothing is wider than the screen${suffix}`, () => noSidewaysScroll(page));
    await h.step(`screenshot the front page${suffix}`, () => h.screenshot(page, `home${suffix}`));

    await h.step(`follow the organisation link to its profile${suffix}`, async () => {
      const card = page.locator('.cards .card a').first();
      const name = (await card.innerText()).trim();
      await Promise.all([page.waitForURL((u) => u.pathname === `/o/${node.handle}`), card.click()]);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await page.getByRole('heading', { level: 2, name: h.t('en', 'org-about') }).waitFor();
      assert.match(await page.locator('.address').innerText(), new RegExp(`@${node.handle}@${node.domain}`));
      // Feeds for readers without an account.
      const rss = await page.locator('link[type="application/rss+xml"]').getAttribute('href');
      assert.equal((await page.request.get(rss)).status(), 200);
    });
    await h.step(`profile${suffix} passes axe`, () => h.axeCheck(page, `organisation profile${suffix}`));
    await h.step(`nothing is wider than the screen on the profile${suffix}`, () => noSidewaysScroll(page));
    await h.step(`screenshot the profile${suffix}`, () => h.screenshot(page, `organisation${suffix}`));
  }
}

/** The page does not scroll sideways: every line fits the viewport. */
async function noSidewaysScroll(page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `the page is ${scroll}px wide in a ${client}px viewport`);
}
