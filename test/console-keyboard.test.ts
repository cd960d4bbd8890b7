// The console with the keyboard alone (GB/T 37668: every control labelled and operable from the keyboard,
// focus visible, text that scales), in a real headless Chromium against the real stack. No mouse: only
// key presses and typing. At every stop of Tab (or of the arrows, in the menu) the focused element has an
// accessible name and looks different from when it is not focused. A reviewer signs in, moves through its
// menu, opens a project from 待办 and approves it in the sign-off dialog; the API then shows the approval
// as that reviewer's. Text scaling: the main pages at 200 % zoom of a 1366 px window. Screenshots of the
// focused states and the zoomed pages go to test-results/screenshots, checked with axe-core.
// Locality jinshanwei, names unique to this run.
import type { Page } from 'playwright-core';
import { eventually } from './support/eventually';
import { ADMIN_MENU, signIn, useConsole } from './support/console';

jest.setTimeout(240_000);

const harness = useConsole('console-keyboard');
const { call, newPage, screenshot } = harness;
const tag = Date.now().toString(36);

interface Stop {
  tag: string;
  role: string;
  name: string;
  /** The ring that shows the focus: on which node (0 the element, 1 and 2 its frame), its outline and its
   *  contrast with what is behind it; null when nothing shows it well enough. */
  ring: { node: number; outline: string; contrast: number } | null;
  /** Which outline and box-shadow properties change at all between focused and not. */
  changed: string[];
  /** The start of its markup, to say which it is when it fails. */
  html?: string;
}

/**
 * What the focused element is and whether its focus shows. Its name is read as assistive technology
 * reads it: aria-labelledby, aria-label, its <label>s, its content (text, and a named icon's name, for the roles named by their content),
 * its title. Its focus shows when, on it or its frame (antd draws a field's focus around the field), an
 * outline at least 2 px wide appears that is not there once it is blurred, in a colour of at least 3:1
 * against the background behind it (WCAG 1.4.11) — read with transitions run to their end both times;
 * then it is focused again (after key presses, a script's focus shows as the keyboard's does).
 * A string evaluated in the page: the tests are compiled without the DOM's types.
 */
const PROBE = `(async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', role: '', name: '', ring: null, changed: [] };
  const text = (e) => (e ? (e.innerText ?? e.textContent ?? '') : '').replace(/\\s+/g, ' ').trim();
  const role = el.getAttribute('role') ?? '';
  const fromContent = ['A', 'BUTTON', 'SUMMARY'].includes(el.tagName) || ['button', 'link', 'menuitem', 'tab', 'option', 'radio', 'checkbox', 'switch', 'treeitem'].includes(role);
  const nameOf = (e) => {
    const by = e.getAttribute('aria-labelledby');
    const labelled = by ? by.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ').trim() : '';
    if (labelled) return labelled;
    const label = (e.getAttribute('aria-label') ?? '').trim();
    if (label) return label;
    const labels = e.labels ? [...e.labels].map(text).join(' ').trim() : '';
    if (labels) return labels;
    // From content as accessible-name computation reads it: text, and a named icon by its name.
    const content = (n) => (n.nodeType === 3 ? n.data : n.nodeType !== 1 || n.getAttribute('aria-hidden') === 'true' ? '' : n.getAttribute('aria-label') || [...n.childNodes].map(content).join(' '));
    const own = content(e).replace(/\\s+/g, ' ').trim();
    if (fromContent && own) return own;
    return (e.getAttribute('title') ?? '').trim();
  };
  const settle = async () => {
    await new Promise((r) => requestAnimationFrame(() => r()));
    for (const a of document.getAnimations()) { try { if (a.effect?.getTiming().iterations !== Infinity) a.finish(); } catch {} }
  };
  const rgba = (c) => { const m = c.match(/[\\d.]+/g) ?? []; return [+m[0] || 0, +m[1] || 0, +m[2] || 0, m[3] === undefined ? 1 : +m[3]]; };
  const luminance = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  // What is behind a node's outline: the nearest ancestor's opaque background (white at the top).
  const behind = (n) => { for (let p = n.parentElement; p; p = p.parentElement) { const c = rgba(getComputedStyle(p).backgroundColor); if (c[3] > 0.9) return c; } return [255, 255, 255, 1]; };
  const contrast = (fg, bg) => { const a = fg[3]; const mixed = [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a)); const [x, y] = [luminance(mixed), luminance(bg)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const nodes = [el, el.parentElement, el.parentElement?.parentElement].filter(Boolean);
  const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow'];
  const read = () => nodes.map((n) => { const cs = getComputedStyle(n); return props.map((p) => cs.getPropertyValue(p)); });
  await settle();
  const focused = read();
  el.blur();
  await settle();
  const rest = read();
  el.focus({ preventScroll: true });
  await settle();
  const changed = focused.flatMap((values, i) => values.flatMap((v, j) => (rest[i][j] !== v ? [i + ':' + props[j]] : [])));
  let ring = null;
  focused.forEach(([style, width, colour], i) => {
    // Only on what shows: a hidden input's outline is nowhere to be seen.
    const box = nodes[i].getBoundingClientRect();
    const shown = box.width > 4 && box.height > 4 && getComputedStyle(nodes[i]).opacity !== '0';
    if (ring || !shown || style === 'none' || parseFloat(width) < 2 || (rest[i][0] === style && rest[i][1] === width && rest[i][2] === colour)) return;
    const c = contrast(rgba(colour), behind(nodes[i]));
    if (c >= 3) ring = { node: i, outline: style + ' ' + width + ' ' + colour, contrast: Math.round(c * 10) / 10 };
  });
  return { tag: el.tagName.toLowerCase(), role, name: nameOf(el), ring, changed, html: el.outerHTML.slice(0, 240) };
})()`;

/** Reads the focused element and asserts it is named and its focus is visible; returns it. */
async function stop(page: Page, where: string): Promise<Stop> {
  const found = (await page.evaluate(PROBE)) as Stop;
  const seen = `${where}: <${found.tag} role=${found.role}> "${found.name}" (changes: ${found.changed.join(', ') || 'none'}) ${found.html ?? ''}`;
  expect({ seen, named: found.name.length > 0 }).toEqual({ seen, named: true });
  expect({ seen, focusShows: found.ring !== null }).toEqual({ seen, focusShows: true });
  return found;
}

/** Presses `key` until the focused element's name matches `target` (at most `max` times), asserting
 *  every stop on the way; returns the names passed. */
async function moveTo(page: Page, key: string, target: RegExp, where: string, max = 25): Promise<string[]> {
  const passed: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    // A moment for a widget that moves focus on the next frame (the menu between its entries).
    await page.waitForTimeout(150);
    const found = await stop(page, `${where}, ${key} #${i + 1}`);
    passed.push(found.name);
    if (target.test(found.name)) return passed;
  }
  throw new Error(`${where}: ${key} never reached ${target} (passed ${passed.join(' → ')})`);
}

test('a reviewer signs in, moves through its menu, opens a project from 待办 and approves it, by keyboard alone, every focus named and visible', async () => {
  const name = `金山卫镇 键盘签署 ${tag}`;
  const registered = await call<{ id: string }>('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海金山卫某某置业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'jinshanwei',
    utilities: ['power'],
  });
  expect(registered.status).toBe(201);
  const { id } = registered.body;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);

  const page = await newPage();
  await page.goto(`${harness.base}/`);
  await page.getByRole('heading', { name: '登录' }).waitFor();
  // Sign-in: Tab to the identity picker, type, Enter picks; Tab to 登录, Enter.
  const toPicker = await moveTo(page, 'Tab', /^身份$/, 'sign-in');
  expect(toPicker).toEqual(['语言: English', '身份']);
  await page.keyboard.type('区规划资源局 审批员');
  await page.keyboard.press('Enter');
  await screenshot(page, 'keyboard-01-sign-in-picker');
  await moveTo(page, 'Tab', /^登录$/, 'sign-in');
  await screenshot(page, 'keyboard-02-sign-in-button');
  await page.keyboard.press('Enter');
  await page.getByTestId('me-name').filter({ hasText: '区规划资源局 审批员' }).waitFor();
  await page.getByRole('heading', { name: '待办' }).waitFor();

  // The skip link comes first and takes the keyboard past the header and the menu to the page itself.
  await page.keyboard.press('Tab');
  await page.waitForTimeout(150);
  expect((await stop(page, 'skip link')).name).toBe('跳到主要内容');
  await screenshot(page, 'keyboard-03-skip-link');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.waitForTimeout(150);
  expect((await stop(page, 'after the skip link')).name).toBe('刷新');

  // The menu: Shift+Tab back to it (it takes focus as a whole), the arrows move within it, Enter opens.
  expect(await moveTo(page, 'Shift+Tab', /^功能菜单$/, 'back to the menu')).toEqual(['功能菜单']);
  await moveTo(page, 'ArrowDown', /^已办$/, 'menu');
  await screenshot(page, 'keyboard-04-menu-entry');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '已办' }).waitFor();
  await moveTo(page, 'ArrowUp', /^待办$/, 'menu');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '待办' }).waitFor();

  // 待办: Tab on to the search box, type the name, Enter (again, until the record has the project).
  await moveTo(page, 'Tab', /^按项目名称搜索$/, '待办');
  await page.keyboard.type(name);
  // Searched when the list says it holds this one project alone: the unsearched 待办 (other files' projects
  // too) may show it as well, before the search's answer has come.
  const row = page.getByRole('row', { name: new RegExp(name) });
  const searched = async () => (await row.isVisible()) && (await page.getByText('共 1 项').isVisible());
  for (let i = 0; i < 60 && !(await searched()); i++) {
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
  }
  await row.waitFor();
  await page.getByText('共 1 项').waitFor();
  await screenshot(page, 'keyboard-05-worklist-search');
  // Past the search box's clear button and its search button, each named in Chinese, to the project's
  // name, a link to its page.
  expect(await moveTo(page, 'Tab', new RegExp(`^${name}$`), '待办')).toEqual(['清除', '搜索', name]);
  await screenshot(page, 'keyboard-06-worklist-link');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name }).waitFor();
  // The project page: on from where the link was, past the stages, to 签署本单位意见.
  await moveTo(page, 'Tab', /^签署本单位意见$/, 'project page', 40);
  await screenshot(page, 'keyboard-07-project-sign-off');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // The dialog has the focus (its close button); 同意 is already chosen, then the comment.
  expect(await moveTo(page, 'Tab', /^意见说明$/, 'sign-off dialog')).toEqual(['同意', '意见说明']);
  await page.keyboard.type('符合控制性详细规划（键盘签署）');
  await screenshot(page, 'keyboard-08-dialog-comment');
  expect(await moveTo(page, 'Tab', /^提交$/, 'sign-off dialog')).toEqual(['取消', '提交']);
  await screenshot(page, 'keyboard-09-dialog-submit');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('已签署').first().waitFor();
  // Recorded as this reviewer's approval, with the comment typed.
  const signed = await eventually(
    () => call<{ stages: { stage: string; attempts: { signOffs: { party: string; decision: string; comment?: string; by: { name?: string } }[] }[] }[] }>('GET', `/api/projects/${id}`, 'dev-admin'),
    (res) => (res.body.stages[0]?.attempts[0]?.signOffs.length ?? 0) > 0,
  );
  expect(signed.body.stages[0]?.attempts[0]?.signOffs).toEqual([expect.objectContaining({ party: 'planning', decision: 'approve', comment: '符合控制性详细规划（键盘签署）', by: expect.objectContaining({ name: '区规划资源局 审批员' }) })]);
  await page.close();
  expect(harness.errors()).toEqual([]);
});

/**
 * What does not fit at the zoom: the page scrolling sideways; anything in the page whose content is cut
 * (overflow hidden or clipped, or ellipsed, with more content than room) — tables excepted, whose
 * container scrolls sideways on purpose (a table's rows and columns read only in two dimensions); a menu
 * entry cut. Each as 'what: its text'. A string evaluated in the page.
 */
const OVERFLOW = `(() => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) found.push('page scrolls sideways: ' + root.scrollWidth + ' > ' + root.clientWidth);
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.ant-table-content, .ant-table-body, svg, [role="img"], .visually-hidden, .skip-link, .ant-select-dropdown, .ant-picker-dropdown')) continue;
    const cs = getComputedStyle(el);
    // What is hidden, or a 1 px box read by screen readers only (the charts' descriptions), is not shown.
    if (cs.display === 'none' || cs.visibility === 'hidden' || el.clientWidth <= 1) continue;
    const cuts = ['hidden', 'clip'].includes(cs.overflowX) || cs.textOverflow === 'ellipsis';
    if (cuts && el.scrollWidth > el.clientWidth + 1 && (el.innerText ?? '').trim()) found.push('cut (' + el.className + '): ' + el.innerText.trim().slice(0, 40) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
  }
  return found;
})()`;

test("text that scales: at 200 % zoom of a 1366 px window every main page shows all its text, nothing cut and nothing to scroll sideways; antd's text does not follow the browser's font-size setting, zoom is what scales it", async () => {
  // Chromium's zoom at 200 % lays a 1366 × 900 window out as 683 × 450 CSS pixels of 2 device pixels
  // each: the same layout as this context's. (A user's default font size — Settings › Appearance — changes
  // only what is sized in rem or em; antd sizes its text in px, as checked below, so zoom is what scales
  // the console's text for a person who needs it larger, as WCAG 1.4.4 allows.)
  const context = await harness.browser.newContext({ viewport: { width: 683, height: 450 }, deviceScaleFactor: 2, locale: 'zh-CN', reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await signIn(page, harness.base, '管理员 王磊');
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(ADMIN_MENU);
  const problems: Record<string, string[]> = {};
  for (const [i, entry] of ADMIN_MENU.entries()) {
    await page.getByRole('menuitem', { name: entry }).click();
    await page.getByRole('main').getByRole('heading').first().waitFor();
    await page.waitForTimeout(500);
    const found = (await page.evaluate(OVERFLOW)) as string[];
    if (found.length > 0) problems[entry] = found;
    await screenshot(page, `keyboard-zoom-${String(i + 1).padStart(2, '0')}`);
  }
  expect(problems).toEqual({});

  // The browser's default font size doubled (what the setting does, through the DevTools protocol): the
  // root's size follows, antd's text does not.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
  const sizes = (await page.evaluate("[getComputedStyle(document.documentElement).fontSize, getComputedStyle(document.querySelector('.ant-menu-item')).fontSize]")) as string[];
  expect(sizes).toEqual(['32px', '14px']);
  await context.close();
  expect(errors).toEqual([]);
});
