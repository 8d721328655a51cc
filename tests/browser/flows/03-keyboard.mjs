//! Keyboard-only sign-in: Tab from the top of the login page reaches the skip link first, then
//! the header, then the form's fields in order; every focused control shows a visible focus
//! indicator; Enter submits.

import assert from 'node:assert/strict';

export const title = 'keyboard-only sign-in with visible focus';

/** What has focus now, and whether it is visibly marked (outline or box shadow). */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.innerText || el.value || '').trim().slice(0, 40),
      classes: el.className,
      visible: outline || shadow,
    };
  });
}

export default async function keyboard(h) {
  const node = await h.node('alpha');
  const admin = await node.ensureSetUp();
  const page = await h.newPage();
  // A staff page sends the anonymous visitor to the login form, which returns there after.
  await page.goto(node.url('/staff'));
  assert.equal(new URL(page.url()).pathname, '/login');

  const visited = [];
  await h.step('Tab first reaches the skip link, which becomes visible', async () => {
    await page.keyboard.press('Tab');
    const first = await focused(page);
    assert.equal(first?.classes, 'skip', `first Tab stop: ${JSON.stringify(first)}`);
    assert.ok(first.visible, 'the skip link shows no focus indicator');
    const box = await page.locator('a.skip').boundingBox();
    assert.ok(box && box.y >= 0 && box.width > 1, `the focused skip link is off screen: ${JSON.stringify(box)}`);
  });

  await h.step('Tab goes through the header to the username field, each stop visible', async () => {
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      assert.ok(now, `Tab ${i + 2} left the page`);
      visited.push(now);
      assert.ok(now.visible, `no visible focus on ${JSON.stringify(now)}`);
      if (now.id === 'username') break;
    }
    assert.equal(visited.at(-1).id, 'username', `Tab order: ${JSON.stringify(visited)}`);
    // Header before the form: the brand link is passed on the way.
    assert.ok(visited.some((v) => v.tag === 'a'), `Tab order: ${JSON.stringify(visited)}`);
  });

  await h.step('type the username, Tab to the password, Enter signs in', async () => {
    await page.keyboard.type(admin.username);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page))?.id, 'password');
    await page.keyboard.type(admin.password);
    await Promise.all([page.waitForURL((u) => u.pathname === '/staff'), page.keyboard.press('Enter')]);
    await page.getByRole('heading', { level: 1, name: h.t('en', 'nav-home-feed') }).waitFor();
  });

  await h.step('the skip link moves focus to the main content', async () => {
    await page.keyboard.press('Tab');
    assert.equal((await focused(page))?.classes, 'skip');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page))?.id, 'main');
  });
  await h.step('screenshot the focused login field', async () => {
    const anonymous = await h.newPage();
    await anonymous.goto(node.url('/login'));
    await anonymous.locator('#username').focus();
    await h.screenshot(anonymous, 'login-focus', { docs: false });
  });
}
