//! The language switch in the footer: Thai, then Bahasa Indonesia, then back to English; the
//! page's `lang`, its headings and the next pages follow the choice.

import assert from 'node:assert/strict';

export const title = 'language switch to Thai and Bahasa Indonesia';

export default async function languages(h) {
  const node = await h.node('alpha');
  await node.ensureSetUp();
  const page = await h.newPage();
  await page.goto(node.url('/'));

  for (const lang of ['th', 'id', 'en']) {
    await h.step(`switch to ${lang} from the footer`, async () => {
      const link = page.locator(`footer a[hreflang="${lang}"]`);
      await Promise.all([page.waitForURL((u) => u.pathname === '/'), link.click()]);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await page.getByRole('heading', { level: 1, name: h.t(lang, 'home-title') }).waitFor();
      assert.equal(await page.locator(`footer a[hreflang="${lang}"]`).getAttribute('aria-current'), 'true');
      assert.equal(await page.locator('a.skip').innerText(), h.t(lang, 'skip-to-content'));
    });
    if (lang !== 'en') {
      await h.step(`front page in ${lang} passes axe`, () => h.axeCheck(page, `home (${lang})`));
      await h.step(`screenshot the front page in ${lang}`, () => h.screenshot(page, `home-${lang}`));
      await h.step(`the choice holds on the login page (${lang})`, async () => {
        await page.goto(node.url('/login'));
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        await page.getByRole('heading', { level: 1, name: h.t(lang, 'sign-in') }).waitFor();
        await page.getByLabel(h.t(lang, 'login-username'), { exact: true }).waitFor();
        await h.axeCheck(page, `login (${lang})`);
        await page.goto(node.url('/'));
      });
    }
  }

  await h.step('a Thai browser with no choice yet gets Thai', async () => {
    const thai = await h.newPage({ locale: 'th-TH' });
    await thai.goto(node.url('/'));
    assert.equal(await thai.locator('html').getAttribute('lang'), 'th');
  });
}
