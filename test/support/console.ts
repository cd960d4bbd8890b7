// The console's browser tests' shared harness: the real stack (API serving the built console, worker,
// Temporal dev server, the suite's record database) and a headless Chromium, started once per test file;
// signing in as a development identity; screenshots checked with axe-core; what the browser reported as
// going wrong. Each test file calls useConsole() at its top level.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_DIR } from '../../api/console';
import { devIdentities } from '../../api/dev-sign-in';
import { DEV_PRINCIPALS_FILE } from '../../config/principals';
import { accessibilityViolations, launchBrowser, screenshot as saveScreenshot } from './browser';
import { apiCaller } from './http';
import { startService, type ServiceOptions } from './service';

export interface ConsoleHarness {
  /** The console's address, e.g. http://127.0.0.1:PORT. */
  readonly base: string;
  readonly browser: Browser;
  readonly service: Awaited<ReturnType<typeof startService>>;
  /** Calls the API with a token, as the tests' other files do. */
  call: ReturnType<typeof apiCaller>;
  /** A fresh browser context (1366×900, zh-CN) whose script errors and failed loads are collected. */
  newPage(): Promise<Page>;
  /** What the browser reported as going wrong in the current test so far. */
  errors(): string[];
  /** Saves test-results/screenshots/<name>.png and runs axe-core; serious or critical violations fail the test. */
  screenshot(page: Page, name: string): Promise<void>;
}

/** Starts the stack and the browser for this test file (named `name`) and checks, after each test, that
 *  no page it screenshot had serious or critical accessibility violations. `options` reach the service
 *  (e.g. where the worker pushes to the utility companies, the timing policy). */
export function useConsole(name: string, options: Omit<ServiceOptions, 'consoleDir' | 'devIdentities'> = {}): ConsoleHarness {
  let service: ConsoleHarness['service'] | undefined;
  let browser: Browser | undefined;
  let browserErrors: string[] = [];
  let violations: Record<string, string[]> = {};
  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html'))) throw new Error(`the console is not built: run npm run build -w web (no ${CONSOLE_DIR}/index.html)`);
    [service, browser] = await Promise.all([startService(name, { ...options, consoleDir: CONSOLE_DIR, devIdentities: devIdentities(DEV_PRINCIPALS_FILE) }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });
  beforeEach(() => {
    browserErrors = [];
    violations = {};
  });
  afterEach(() => {
    expect(violations).toEqual({});
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the console harness is not started yet (use it inside tests)');
    return value;
  };
  return {
    get base() {
      return `http://127.0.0.1:${started(service).port}`;
    },
    get browser() {
      return started(browser);
    },
    get service() {
      return started(service);
    },
    call: apiCaller(() => started(service).port),
    async newPage() {
      // With less motion, as a person may ask their system: a dialog or list is there at once, not
      // sliding in under the pointer of a busy machine (the console honours the preference, App.tsx).
      const context = await started(browser).newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', reducedMotion: 'reduce' });
      const page = await context.newPage();
      page.on('pageerror', (err) => browserErrors.push(`page error: ${err.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') browserErrors.push(`console: ${message.text()}`);
      });
      return page;
    },
    errors: () => browserErrors,
    async screenshot(page, shot) {
      await saveScreenshot(page, shot);
      const found = await accessibilityViolations(page);
      if (found.length > 0) violations[shot] = found;
    },
  };
}

/** The admin's menu as it reads in Chinese (each role's menu is asserted exactly). */
export const ADMIN_MENU = ['卡件处置', '项目', '受理登记', '驾驶舱', '绿色通道', '集中开工', '工作日历', '联络人名录', '审计日志', '通知'];

/** Signs in through the development identity picker, as the person named. */
export async function signIn(page: Page, base: string, name: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: '登录' }).waitFor();
  await page.getByRole('combobox', { name: '身份' }).fill(name);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('me-name').filter({ hasText: name }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /退出|Sign out/ }).click();
  await page.getByRole('heading', { name: /登录|Sign in/ }).waitFor();
}

/** Searches the list for the project named `text` and clicks Refresh until its row shows (the lists read
 *  the record, which follows the workflow; other test files add projects to the same lists meanwhile). */
export async function rowOnceListed(page: Page, text: string) {
  await page.getByRole('searchbox', { name: /按项目名称搜索|Search by project name/ }).fill(text);
  await page.keyboard.press('Enter');
  // The list is the page's first table: a card below it (我的项目's red-light forecast) may name the project too.
  const list = page.getByRole('table').first();
  const row = list.getByRole('row', { name: new RegExp(text) });
  // Up to about half a minute: on a busy machine the worker records a change seconds later.
  // Until the list shows that project alone (the header row and its own).
  const alone = async () => (await row.isVisible()) && (await list.getByRole('row').count()) === 2;
  for (let i = 0; i < 100 && !(await alone()); i++) {
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: /刷新|Refresh/ }).click();
  }
  await row.waitFor();
  return row;
}
