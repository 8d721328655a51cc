//! Searching the directory as a visitor: words and filters narrow the results, the search is an
//! ordinary link, a search with no match says so, and a result opens its page.

import assert from 'node:assert/strict';

export const title = 'search the directory with words and filters, and open a result';

/** Two programs sharing a word, told apart by the filters. */
const WANTED = {
  name: 'Hotline for seafarers in distress',
  summary: 'Counselling by phone in Thai, Burmese and Khmer, day and night.',
  themes: ['psychosocial-support', 'information'],
  countries: ['TH'],
  populations: ['migrant-workers'],
  languages: ['th', 'my', 'km'],
  acceptingReferrals: true,
};
const OTHER = {
  name: 'Hotline for flood evacuees',
  summary: 'Where to find shelter and food after the floods.',
  themes: ['disaster-displacement'],
  countries: ['ID'],
  acceptingReferrals: false,
};

export default async function directory(h) {
  const node = await h.node('alpha');
  await h.step('publish two programs through the API', async () => {
    await node.publishProgram(WANTED);
    await node.publishProgram(OTHER);
  });

  const page = await h.newPage();
  await h.step('open the directory from the navigation', async () => {
    await page.goto(node.url('/'));
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/directory'),
      page.getByRole('navigation', { name: h.t('en', 'nav-label') }).getByRole('link', { name: h.t('en', 'nav-directory') }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'directory-title') }).waitFor();
  });

  const results = page.locator('section[aria-labelledby="directory-results"] li.card');
  await h.step('a word alone finds both hotlines', async () => {
    await page.getByLabel(h.t('en', 'directory-search-label'), { exact: true }).fill('hotline');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('q') === 'hotline'),
      page.getByRole('button', { name: h.t('en', 'directory-search-button'), exact: true }).click(),
    ]);
    await results.filter({ hasText: WANTED.name }).waitFor();
    await results.filter({ hasText: OTHER.name }).waitFor();
  });

  await h.step('filters narrow it to the one program', async () => {
    await page.getByLabel(h.t('en', 'field-themes'), { exact: true }).selectOption('psychosocial-support');
    await page.getByLabel(h.t('en', 'field-countries'), { exact: true }).selectOption('TH');
    await page.getByLabel(h.t('en', 'directory-filter-kind'), { exact: true }).selectOption('program');
    await page.getByLabel(h.t('en', 'field-languages'), { exact: true }).fill('km');
    await page.getByLabel(h.t('en', 'directory-accepting-only'), { exact: true }).check();
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('theme') === 'psychosocial-support'),
      page.getByRole('button', { name: h.t('en', 'directory-apply') }).click(),
    ]);
    assert.equal(await results.count(), 1, await page.locator('main').innerText());
    const card = results.first();
    assert.ok((await card.innerText()).includes(WANTED.name));
    assert.ok((await card.innerText()).includes(h.t('en', 'directory-accepting')));
    // The filters stay chosen on the results page.
    assert.equal(await page.locator('#directory-country').inputValue(), 'TH');
    assert.equal(await page.locator('#directory-q').inputValue(), 'hotline');
  });
  await h.step('directory with results passes axe', () => h.axeCheck(page, 'directory search'));
  await h.step('screenshot the directory search', () => h.screenshot(page, 'directory'));

  await h.step('the search is a link: the same URL gives the same results', async () => {
    const again = await h.newPage({ mobile: true });
    await again.goto(page.url());
    const cards = again.locator('section[aria-labelledby="directory-results"] li.card');
    assert.equal(await cards.count(), 1);
    await h.noSidewaysScroll(again);
    await h.axeCheck(again, 'directory search on a phone');
    await h.screenshot(again, 'directory-mobile');
  });

  await h.step('a search with no match says so', async () => {
    const none = await h.newPage();
    await none.goto(node.url('/directory?q=hotline&country=ID&theme=health'));
    const status = none.getByRole('status');
    assert.equal((await status.innerText()).trim(), h.t('en', 'directory-no-results'));
    await h.axeCheck(none, 'directory without results');
  });

  await h.step('open the result', async () => {
    await Promise.all([
      page.waitForURL((u) => u.pathname.startsWith('/programs/')),
      results.first().getByRole('link', { name: WANTED.name, exact: true }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: WANTED.name }).waitFor();
    const main = await page.locator('main').innerText();
    assert.ok(main.includes(WANTED.summary), main);
    assert.ok(main.includes(h.t('en', 'theme-information')), main);
  });
}
