//! Publishing a program with the compose form: themes and populations from the checkbox
//! pickers, countries from the multiple select; a form without a title comes back with the
//! field marked; the published program is on the public profile with its labels.

import assert from 'node:assert/strict';

export const title = 'publish a program with the compose form and find it on the profile';

const NAME = 'Mobile clinic for fishing communities';

export default async function publish(h) {
  const node = await h.node('alpha');
  const page = await h.newPage();
  await h.step('sign in', () => h.signIn(page, node, { next: '/staff/objects' }));

  await h.step('the publish page lists the kinds', async () => {
    await page.getByRole('heading', { level: 1, name: h.t('en', 'objects-title') }).waitFor();
    await page.getByRole('heading', { level: 2, name: h.t('en', 'kind-program-plural') }).waitFor();
  });
  await h.step('publish page passes axe', () => h.axeCheck(page, 'publish list'));

  await h.step('open the new program form', async () => {
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/objects/new/program'),
      page.getByRole('link', { name: h.t('en', 'compose-new-program') }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'compose-new-program') }).waitFor();
  });
  await h.step('compose form passes axe', () => h.axeCheck(page, 'compose form'));

  await h.step('a program without a title is refused with the field marked', async () => {
    await page.getByLabel(h.t('en', 'compose-field-summary'), { exact: true }).fill('Primary care by boat.');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: h.t('en', 'compose-publish') }).click(),
    ]);
    assert.equal(response.status(), 422);
    await page.getByRole('alert').filter({ hasText: h.t('en', 'compose-problem') }).waitFor();
    const name = page.getByLabel(h.t('en', 'compose-field-name'), { exact: true });
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    // What was typed comes back.
    assert.equal(await page.locator('#summary').inputValue(), 'Primary care by boat.');
  });
  await h.step('the refused form passes axe', () => h.axeCheck(page, 'compose form with an error'));

  await h.step('fill in the program with the pickers', async () => {
    await page.getByLabel(h.t('en', 'compose-field-name'), { exact: true }).fill(NAME);
    await page
      .getByLabel(h.t('en', 'compose-field-text'), { exact: true })
      .fill('A boat clinic visits the islands every week.\n\nNo documents are asked for.');
    const themes = page.getByRole('group', { name: h.t('en', 'field-themes') });
    await themes.getByRole('checkbox', { name: h.t('en', 'theme-health'), exact: true }).check();
    await themes.getByRole('checkbox', { name: h.t('en', 'theme-psychosocial-support'), exact: true }).check();
    const populations = page.getByRole('group', { name: h.t('en', 'field-populations') });
    await populations.getByRole('checkbox', { name: h.t('en', 'population-migrant-workers'), exact: true }).check();
    await page.getByLabel(h.t('en', 'field-countries'), { exact: true }).selectOption(['TH', 'MY']);
    await page.getByLabel(h.t('en', 'field-areas'), { exact: true }).fill('Ranong\nSatun');
    await page.getByLabel(h.t('en', 'field-languages'), { exact: true }).fill('th my');
    await page.getByRole('checkbox', { name: h.t('en', 'compose-field-accepting') }).check();
    await page.getByRole('checkbox', { name: h.t('en', 'compose-field-no-reporting') }).check();
    await page.getByLabel(h.t('en', 'compose-contact-name'), { exact: true }).first().fill('Clinic desk');
    await page.getByLabel(h.t('en', 'compose-contact-email'), { exact: true }).first().fill('clinic@alpha.example');
  });
  await h.step('screenshot the filled compose form', () => h.screenshot(page, 'compose'));

  await h.step('publish it and land on the list with a notice', async () => {
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/objects'),
      page.getByRole('button', { name: h.t('en', 'compose-publish') }).click(),
    ]);
    await page.getByRole('status').filter({ hasText: h.t('en', 'objects-done-published') }).waitFor();
    const programs = page.locator('section[aria-labelledby="kind-program"]');
    await programs.getByRole('link', { name: NAME }).waitFor();
  });
  await h.step('screenshot the publish list', () => h.screenshot(page, 'publish'));

  await h.step('the program is on the public profile, with its labels', async () => {
    const visitor = await h.newPage();
    await visitor.goto(node.url(`/o/${node.handle}`));
    const programs = visitor.locator('section[aria-labelledby="section-program"]');
    await Promise.all([
      visitor.waitForURL((u) => u.pathname.startsWith('/programs/')),
      programs.getByRole('link', { name: NAME }).click(),
    ]);
    await visitor.getByRole('heading', { level: 1, name: NAME }).waitFor();
    const main = await visitor.locator('main').innerText();
    for (const label of [
      h.t('en', 'theme-health'),
      h.t('en', 'theme-psychosocial-support'),
      h.t('en', 'population-migrant-workers'),
      'Thailand',
      'Malaysia',
      'Ranong',
      'No documents are asked for.',
    ]) {
      assert.ok(main.includes(label), `the program page does not show "${label}":\n${main}`);
    }
    // Two paragraphs, as typed.
    assert.equal(await visitor.locator('main .content p').count(), 2);
  });

  await h.step('edit it: the form comes back filled, the change shows', async () => {
    const programs = page.locator('section[aria-labelledby="kind-program"]');
    const card = programs.locator('li.card').filter({ hasText: NAME });
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/edit')),
      card.getByRole('link', { name: h.t('en', 'objects-edit') }).click(),
    ]);
    const themes = page.getByRole('group', { name: h.t('en', 'field-themes') });
    assert.ok(await themes.getByRole('checkbox', { name: h.t('en', 'theme-health'), exact: true }).isChecked());
    const selected = await page.locator('#countries').evaluate((s) => [...s.selectedOptions].map((o) => o.value).sort());
    assert.deepEqual(selected, ['MY', 'TH']);
    await page.getByLabel(h.t('en', 'field-areas'), { exact: true }).fill('Ranong\nSatun\nPhang Nga');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/objects'),
      page.getByRole('button', { name: h.t('en', 'compose-save') }).click(),
    ]);
    await page.getByRole('status').filter({ hasText: h.t('en', 'objects-done-saved') }).waitFor();
  });

  await h.step('the delete confirmation page passes axe (and deleting waits for it)', async () => {
    const card = page.locator('section[aria-labelledby="kind-program"] li.card').filter({ hasText: NAME });
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/delete')),
      card.getByRole('link', { name: h.t('en', 'objects-delete') }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'delete-title') }).waitFor();
    await h.axeCheck(page, 'delete confirmation');
  });
}
