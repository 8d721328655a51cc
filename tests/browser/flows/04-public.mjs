//! The public pages a reader sees without signing in: the node's front page and an
//! organisation's profile, on a desktop and on a phone.

import assert from 'node:assert/strict';

export const title = 'public home, organisation profile and a program page, desktop and mobile';

/** A program as an editor would publish it (through the JSON API: publishing in the browser
 * has its own flow). */
const PROGRAM = {
  name: 'Legal aid for migrant workers',
  summary: 'Free advice on wages, contracts and documents.',
  text: 'Walk-in clinic every Tuesday and Thursday.\n\nBring any papers you have.',
  themes: ['legal-aid', 'migration'],
  countries: ['ID'],
  areas: ['Jakarta'],
  populations: ['migrant-workers'],
  languages: ['id', 'en'],
  eligibility: 'Migrant workers and their families',
  acceptingReferrals: true,
  howToRefer: 'Send a referral through Gotong',
};

export default async function publicPages(h) {
  const node = await h.node('alpha');
  await h.step('publish a program through the API', async () => {
    const { status, body } = await node.api('POST', '/api/v1/programs', PROGRAM);
    assert.equal(status, 201, JSON.stringify(body));
  });

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
    await h.step(`nothing is wider than the screen${suffix}`, () => h.noSidewaysScroll(page));
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
    await h.step(`nothing is wider than the screen on the profile${suffix}`, () => h.noSidewaysScroll(page));
    await h.step(`screenshot the profile${suffix}`, () => h.screenshot(page, `organisation${suffix}`));

    await h.step(`the program is on the profile and opens its own page${suffix}`, async () => {
      const programs = page.locator('section[aria-labelledby="section-program"]');
      await programs.getByRole('heading', { name: h.t('en', 'kind-program-plural') }).waitFor();
      const link = programs.getByRole('link', { name: PROGRAM.name });
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/programs/')), link.click()]);
      await page.getByRole('heading', { level: 1, name: PROGRAM.name }).waitFor();
      const main = await page.locator('main').innerText();
      assert.match(main, /Walk-in clinic every Tuesday and Thursday/);
      assert.match(main, new RegExp(h.t('en', 'field-eligibility')));
    });
    await h.step(`program page${suffix} passes axe`, () => h.axeCheck(page, `program page${suffix}`));
    await h.step(`nothing is wider than the screen on the program page${suffix}`, () => h.noSidewaysScroll(page));
    await h.step(`screenshot the program page${suffix}`, () => h.screenshot(page, `program${suffix}`));
  }
}
