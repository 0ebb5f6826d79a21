import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { docScreenshot, launchBrowser, mainText, seriousAccessibilityViolations } from '../setup/browser.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/** The text of a PDF, page by page (Mozilla's pdf.js). */
async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf) }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((i) => ('str' in i ? i.str : '')).join(''));
  }
  await doc.destroy();
  return pages.join('\n');
}

/**
 * The public portal in Chromium, as a villager or a clerk uses it: a township typed by name and a
 * demo question, the answer → the item → its history → the diff, the proof printed to PDF, a
 * question dated before any list, a removed matter; axe-core on every page, a phone's width.
 */
describe('public portal in Chromium', () => {
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

  /** What every page must hold: nothing wider than the phone, no serious accessibility finding. */
  async function checkPage(screenshot?: string) {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    if (screenshot) await docScreenshot(page, `portal/${screenshot}`);
  }

  it('asks a demo question by typing a township name, then opens the answer, the item, its history and the diff', async () => {
    await page.goto(`${app.url}/`);
    await checkPage('home.png');
    await page.getByLabel(/地区/).fill('张渚');
    await page.getByLabel(/什么事/).fill('村口有人乱搭棚子归哪里管');
    await page.getByRole('button', { name: '查询' }).click();
    expect(new URL(page.url()).pathname).toBe('/ask');
    const answer = await mainText(page);
    expect(answer).toContain('乡村规划区内违法建设查处');
    expect(answer).toContain('本镇牵头负责');
    expect(answer).toContain('张渚镇综合行政执法大队');
    expect(answer).toContain('《中华人民共和国城乡规划法》第六十五条');
    expect(answer).toContain('宜政发〔2026〕31号');
    await checkPage('ask.png');

    await page.getByRole('link', { name: '乡村规划区内违法建设查处' }).first().click();
    expect(new URL(page.url()).pathname).toBe('/regions/320282100/items/320282-100-JB-002');
    expect(await page.locator('h1').innerText()).toBe('乡村规划区内违法建设查处');
    expect(await mainText(page)).toContain('历史');
    await checkPage('item.png');

    // an item changed by v2: its history links to the diff
    await page.goto(`${app.url}/regions/320282100/items/320282-100-JB-003`);
    await page.getByRole('link', { name: '查看修改内容' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/versions\/[0-9a-f-]{36}\/diff\/[0-9a-f-]{36}$/);
    const diff = await mainText(page);
    expect(diff).toContain('新增 1 项，修改 1 项，删除 1 项');
    expect(diff).toContain('冒黑烟');
    await checkPage('diff.png');
  });

  it('the township page, a version and the county page', async () => {
    await page.goto(`${app.url}/regions/320282100`);
    const town = await mainText(page);
    expect(town).toContain('基本履职事项');
    expect(town).toContain('上级部门收回事项');
    await checkPage('township.png');
    await page.getByRole('link', { name: 'v2', exact: true }).first().click();
    expect(await page.locator('h1').innerText()).toContain('v2');
    await checkPage('version.png');
    await page.goto(`${app.url}/regions/320282`);
    expect(await mainText(page)).toContain('宜兴市各乡镇（街道）的权责清单');
    await checkPage('county.png');
  });

  it('prints the proof to an A4 PDF holding the item, the 批准文号, the hashes and the URL', async () => {
    const response = await page.goto(`${app.url}/regions/320282100/items/320282-100-JB-002/proof`);
    expect(response?.status()).toBe(200);
    await checkPage('proof.png');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    for (const s of ['权责清单事项证明', '张渚镇', '乡村规划区内违法建设查处', '本镇牵头负责', '宜政发〔2026〕31号', '审计链当前头部', '320282-100-JB-002/proof'])
      expect(text).toContain(s);
    expect(text).toMatch(/[0-9a-f]{64}/);
    // the header and the navigation are not printed
    expect(text).not.toContain('减负台账');
  });

  it('a question dated before any list says so; a removed matter links to the version that removed it', async () => {
    await page.goto(`${app.url}/ask?region=${encodeURIComponent('张渚镇')}&q=${encodeURIComponent('村口有人乱搭棚子')}&asOf=2000-01-01`);
    expect(await page.getByRole('status').innerText()).toContain('2000-01-01，张渚镇没有现行有效的清单');
    await checkPage('ask-before-any-list.png');
    await page.goto(`${app.url}/ask?region=320282100&q=${encodeURIComponent('校外培训机构')}`);
    expect(await page.getByRole('status').innerText()).toContain('“校外培训机构治理”已从清单中删除');
    await checkPage('ask-removed.png');
    await page.getByRole('link', { name: /查看 v2/ }).click();
    expect(await page.locator('h1').innerText()).toContain('v2');
    await page.goto(`${app.url}/ask/statement?region=320282100&q=${encodeURIComponent('火星探测')}`);
    expect(await mainText(page)).toContain('没有与“火星探测”相符的事项');
    await checkPage('statement.png');
    // an answer that found nothing can be marked wrong too (the thank-you page checked like every page)
    await page.goto(`${app.url}/ask?region=320282100&q=${encodeURIComponent('火星探测')}`);
    await page.getByRole('button', { name: '是，应该有' }).click();
    expect(await page.getByRole('status').innerText()).toContain('已记下：这条答复不对。');
    await checkPage();
  });

  it('works without JavaScript, and an unknown item is the HTML 404 in Chinese', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
    const p = await noJs.newPage();
    await p.goto(`${app.url}/`);
    await p.getByLabel(/地区/).fill('宜兴');
    await p.getByLabel(/什么事/).fill('违建');
    await p.getByRole('button', { name: '查询' }).click();
    expect(await p.locator('main').innerText()).toContain('张渚镇');
    // "was this right?" under the first answer: a plain form post, a thank-you page, the way back
    const question = new URL(p.url()).searchParams.get('q');
    await p.getByRole('button', { name: '答对了' }).first().click();
    expect(new URL(p.url()).pathname).toBe('/feedback/answers');
    expect(await p.getByRole('status').innerText()).toBe('已记下：这条答复答对了。');
    const [given] = await app.dataSource.query(`SELECT question, region_code, helpful FROM answer_feedback ORDER BY given_at DESC LIMIT 1`);
    expect(given).toEqual({ question, region_code: '320282000000', helpful: true });
    await p.getByRole('link', { name: '返回答复' }).click();
    expect(new URL(p.url()).pathname).toBe('/ask');
    expect(await p.locator('h1').innerText()).toContain('违建');
    const missing = await p.goto(`${app.url}/regions/320282100/items/NO-SUCH-ITEM`);
    expect(missing?.status()).toBe(404);
    expect(await p.locator('main').innerText()).toContain('页面不存在');
    await noJs.close();
  });
});
