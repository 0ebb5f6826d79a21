import type { Browser } from 'playwright-core';
import { ok } from '../setup/lists-api.js';
import { docScreenshot, launchBrowser, mainText, seriousAccessibilityViolations } from '../setup/browser.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/** The public burden ledger page in Chromium: its chart drawn on the server, its table, its period form — with and without JavaScript. */
describe('burden ledger page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    const body = ok(await app.adminGql('mutation { createBody(name:"宜兴市委政法委", kind:"党委部门", regionCode:"320282"){ id } }'), 'createBody');
    const reviewer = await app.createUser('lp-reviewer', 'REVIEWER', '320282');
    const submit = async (input: Record<string, unknown>) =>
      ok(await app.adminGql('mutation($i: TaskRequestInput!) { submitTaskRequest(input: $i) { id } }', { i: { issuingBodyId: body.id, requestedStart: '2026-09-01', ...input } }), 'submitTaskRequest');
    await submit({
      targetCodes: ['320282'], title: '每日矛盾纠纷排查化解', content: '各镇每天排查一件矛盾，当天解决一件矛盾，并当天填表上报。',
      reporting: { frequency: 'DAILY', sameDay: true },
    });
    const declined = await submit({ targetCodes: ['320282101'], title: '平安创建宣传', content: '每个村悬挂平安创建横幅并拍照上传。', reporting: { frequency: 'ONCE', photos: true } });
    ok(await app.adminGql('mutation($id: ID!) { decideTaskRequest(id: $id, decision: DECLINED, reason: "不属于乡镇职责") { status } }', { id: declined.id }, reviewer), 'decideTaskRequest');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('without JavaScript: the chart, the table with the numbers, and the period form work', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`${app.url}/ledger/320282`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('宜兴市减负台账');
    const chart = page.getByRole('img', { name: /各部门派发任务的判定结果/ });
    expect(await chart.isVisible()).toBe(true);
    // one bar for the department: of the 21 townships, 2 have the item in their lists (green); 19 + 西渚镇 again are outside (red)
    const widths = async (fill: string) => Promise.all((await chart.locator(`rect[fill="${fill}"][height="16"]`).all()).map(async (r) => Number(await r.getAttribute('width'))));
    const [[green], [red]] = await Promise.all([widths('#1a7f37'), widths('#cf222e')]);
    expect(red / green).toBeCloseTo(20 / 2, 5);
    expect(await chart.locator('desc').textContent()).toBe('宜兴市委政法委：基本履职2，配合履职0，已收回0，清单外20');
    const row = page.locator('table.ledger').first().locator('tr', { has: page.locator('th', { hasText: '宜兴市委政法委' }) });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 7)).toEqual(['2', '21', '22', '2', '0', '0', '20']);
    expect(cells[9]).toBe('1');
    expect(await mainText(page)).toContain('拍照留痕');

    await page.getByLabel(/起始日期/).fill('2001-01-01');
    await page.getByLabel(/截止日期/).fill('2001-12-31');
    await page.getByRole('button', { name: '查看' }).click();
    expect(new URL(page.url()).search).toBe('?from=2001-01-01&to=2001-12-31');
    expect(await mainText(page)).toContain('该时段内没有部门向宜兴市的乡镇（街道）派发任务');
    const csv = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    expect(csv).toBe('/exports/burden-ledger/320282000000.csv?from=2001-01-01&to=2001-12-31');
    await context.close();
  });

  it('on a phone: nothing wider than the screen, no serious accessibility finding; a bad date is a page in Chinese', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/ledger/320282`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await docScreenshot(page, 'portal/ledger.png');
    const bad = await page.goto(`${app.url}/ledger/320282?from=2026-02-30`);
    expect(bad?.status()).toBe(400);
    expect(await mainText(page)).toContain('日期“2026-02-30”无效');
    await context.close();
  });
});
