import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install -y chromium fonts-wqy-microhei`), driven by playwright-core:
 * never a downloaded browser build. CHROMIUM_PATH points elsewhere if needed.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's (apt-get install -y chromium fonts-wqy-microhei) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    // No sandbox as root in CI; no background connections on a closed network (they fail, many at a time).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** axe-core's serious and critical findings on the page as it stands, as readable lines. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Screenshots for the docs (docs/portal/, docs/console/), written only when UPDATE_SCREENSHOTS is
 * set, so that test runs leave the tree as it was.
 */
export async function docScreenshot(page: Page, file: string): Promise<void> {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  const target = path.join(process.cwd(), 'docs', file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await page.screenshot({ path: target, fullPage: true });
}

/** The text a reader sees in the page's main content. */
export const mainText = (page: Page) => page.locator('main').innerText();
