// A real headless Chromium for the console's browser tests: the one CHROMIUM_PATH names, or the build
// shipped inside the @sparticuz/chromium npm package (Playwright's own browser download is not needed).
// Only the flags a container needs: web security and CSP stay as a person's browser has them.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../../config/env';

export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || (await sparticuz.executablePath());
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath} (CHROMIUM_PATH)`);
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

/** Saves what the page shows now as test-results/screenshots/<name>.png (full page). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** What the settling check reads in the page (the tests compile without the DOM's types). */
interface PageWithAnimations {
  document: { getAnimations(): { playState: string; effect: { getTiming(): { iterations?: number } } | null }[] };
}

/** The serious and critical accessibility violations axe-core finds on the page as it is now (WCAG 2 A
 *  and AA), each as 'rule: the elements' — what GB/T 37668 asks of a government site. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Colours are judged at rest: a notice fading in or out is mid-way between its colours (a spinner's
  // endless turning is not waited for).
  // Polled from here with page.evaluate: waitForFunction polls inside the page, where the console's CSP
  // forbids compiling the check (a page error, at random).
  const settled = () => page.evaluate(() => (globalThis as unknown as PageWithAnimations).document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  for (let waited = 0; waited < 5_000 && !(await settled()); waited += 100) await page.waitForTimeout(100);
  const axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  // With a dialog open, the page behind it is masked and out of reach: the dialog is what is read.
  if (await page.getByRole('dialog').isVisible()) axe.include('[role="dialog"]');
  const { violations } = await axe.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('; ')}`);
}
