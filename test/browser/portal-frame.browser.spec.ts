import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, mainText, seriousAccessibilityViolations } from '../setup/browser.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/** The portal's frame in a real browser: the front page, its stylesheet, the HTML 404, and a phone's width. */
describe('portal frame in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the question form on the front page, styled by the app\'s own stylesheet', async () => {
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    const response = await page.goto(`${app.url}/`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toContain('权责清单查询');
    await expect(page.getByLabel(/地区/).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel(/什么事/).isVisible()).resolves.toBe(true);
    // The stylesheet loaded (the header is red) and nothing came from another origin.
    const background = await page.locator('header.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(155, 28, 28)');
    expect(failed).toEqual([]);
    // Nothing wider than a phone's screen.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('answers an unknown page with the HTML 404 in Chinese and a way back', async () => {
    const response = await page.goto(`${app.url}/no/such/page`);
    expect(response?.status()).toBe(404);
    expect(await mainText(page)).toContain('页面不存在');
    await page.getByRole('link', { name: '返回首页' }).click();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
