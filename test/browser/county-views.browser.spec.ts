import type { Browser } from 'playwright-core';
import { docScreenshot, launchBrowser, mainText, seriousAccessibilityViolations } from '../setup/browser.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/** The county's matrix, findings and a department's page in Chromium: without JavaScript, on a phone, accessible. */
describe('county views pages in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('without JavaScript: the matrix shows each township\'s role and the inconsistencies, the form switches list and date, a cell leads to the department', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`${app.url}/counties/320282/matrix?asOf=2026-12-01`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('宜兴市事项矩阵');
    const table = page.getByRole('region', { name: /宜兴市责任清单事项矩阵/ }).locator('table');
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['事项', expect.stringContaining('张渚镇'), expect.stringContaining('徐舍镇'), expect.stringContaining('丁蜀镇')]);
    const sand = table.locator('tbody tr', { has: page.locator('th', { hasText: '河道采砂管理' }) });
    expect(await sand.locator('td .role').allInnerTexts()).toEqual(['配合履职', '已收回', '基本履职']);
    expect(await sand.locator('ul.flags li').allInnerTexts()).toContain('丁蜀镇列为本乡镇基本履职，徐舍镇列为已由上级部门收回');
    expect(await sand.locator('td').nth(1).getAttribute('class')).toBe('cell-RECLAIMED');
    expect(await page.getByRole('link', { name: 'Excel（.xlsx）' }).getAttribute('href')).toBe('/exports/counties/320282000000/matrix.xlsx?kind=RESPONSIBILITY&asOf=2026-12-01');

    await page.getByLabel('清单', { exact: true }).selectOption('POWER');
    await page.getByRole('button', { name: '查看' }).click();
    expect(new URL(page.url()).search).toBe('?kind=POWER&asOf=2026-12-01');
    expect(await page.locator('table.matrix thead th').allInnerTexts()).toEqual(['事项', expect.stringContaining('张渚镇')]);

    await page.goto(`${app.url}/counties/320282/matrix?asOf=2026-12-01`);
    await sand.locator('td').nth(1).getByRole('link', { name: '宜兴市水利局' }).click();
    expect(await page.locator('h1').innerText()).toBe('宜兴市水利局履职事项清单');
    const reclaimed = page.getByRole('region', { name: '已收回、由本部门实施的事项' });
    expect(await reclaimed.innerText()).toContain('徐舍镇');
    expect(await mainText(page)).toContain('负责采砂许可和业务指导');
    await context.close();
  });

  it('the findings page lists each kind; a bad date or county is a page in Chinese', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/counties/320282/findings?asOf=2026-12-01`);
    expect(await page.locator('h2').allInnerTexts()).toEqual(['同一乡镇重复牵头（1）', '收回主体不是本县部门（1）', '配合主体已撤销（1）', '清单逾期未复核（2）']);
    expect(await mainText(page)).toContain('“宜兴市农机服务站”已于2026-03-31撤销');
    expect((await page.goto(`${app.url}/counties/320282/findings?asOf=2026-02-30`))?.status()).toBe(400);
    expect(await mainText(page)).toContain('日期“2026-02-30”无效');
    expect((await page.goto(`${app.url}/counties/320282100/matrix`))?.status()).toBe(400);
    expect(await mainText(page)).toContain('不是县级区划');
    await context.close();
  });

  it('on a phone: nothing wider than the screen but the scrolling table, no serious accessibility finding', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    const [water] = await app.dataSource.query(`SELECT id FROM body WHERE name = '宜兴市水利局'`);
    for (const [path, shot] of [
      ['/counties/320282/matrix?asOf=2026-12-01', 'portal/county-matrix.png'],
      ['/counties/320282/findings?asOf=2026-12-01', 'portal/county-findings.png'],
      [`/departments/${water.id}?asOf=2026-12-01`, 'portal/department.png'],
    ]) {
      expect((await page.goto(`${app.url}${path}`))?.status()).toBe(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await docScreenshot(page, shot);
    }
    await context.close();
  });
});
