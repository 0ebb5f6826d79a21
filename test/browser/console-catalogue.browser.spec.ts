import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { QuestionLogService } from '../../src/modules/accountability/question-log.service.js';
import { docScreenshot, launchBrowser, mainText, seriousAccessibilityViolations } from '../setup/browser.js';
import { TEST_ADMIN } from '../setup/test-database.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const FIXTURES = path.join(process.cwd(), 'test/fixtures/legal-catalogue');
const XUSHE = '320282103'; // 徐舍镇: the demo list cites article numbers the law has since renumbered

/**
 * The county console's catalogue, dashboard warnings, own password and question queue in Chromium:
 * the legal catalogue browsed, searched and imported (check only, bad rows at their row and column,
 * written); the dashboard's gate findings and open basis alerts per list; a user's own password
 * changed with the service's rules; the public's unanswered questions mapped to an item.
 */
describe('county console: catalogue, dashboard warnings, password, question queue', () => {
  let app: TestApp;
  let browser: Browser;
  let editorToken: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    editorToken = await app.createUser('cq-editor', 'EDITOR', '320282');
    await app.createUser('cq-township', 'TOWNSHIP', XUSHE);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.close();
  });

  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  const signIn = async (page: Page, username: string, password: string, next = '/console') => {
    await page.goto(`${app.url}${next}`);
    await page.getByLabel(/^用户名/).fill(username);
    await page.getByLabel(/^密码/).fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    expect(new URL(page.url()).pathname).toBe(next.split('?')[0]);
  };
  const noSeriousViolations = async (page: Page) => expect(await seriousAccessibilityViolations(page)).toEqual([]);
  const fixture = (name: string) => path.join(FIXTURES, name);

  it('browses and searches the catalogue; an instrument shows its versions, provisions and crosswalk', async () => {
    const page = await newPage();
    await signIn(page, 'cq-editor', 'cq-editor-password-1', '/console/catalogue');
    expect(await page.locator('h1').innerText()).toBe('法规目录');
    expect(await mainText(page)).toContain('《中华人民共和国行政处罚法》');
    // Not an administrator: no import form.
    expect(await page.getByRole('heading', { name: '导入法规目录' }).count()).toBe(0);
    await page.getByLabel('法规名称或简称').fill('统计法');
    await page.getByRole('button', { name: '查找' }).click();
    const rows = page.getByRole('region', { name: '法规列表' }).locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('2010-01-01、2024-09-13');
    await noSeriousViolations(page);
    await docScreenshot(page, 'console/catalogue.png');
    await page.getByRole('link', { name: '《中华人民共和国统计法》' }).click();
    expect(await page.locator('h1').innerText()).toBe('《中华人民共和国统计法》');
    const crosswalk = page.getByRole('region', { name: /2010-01-01 起施行的版本到 2024-09-13 版本的条文对照/ });
    expect(await crosswalk.locator('tbody tr').allInnerTexts()).toContainEqual(expect.stringMatching(/^第二十七条\s+第三十条\s+移动/));
    const provisions = page.getByRole('region', { name: '2024-09-13 起施行的版本的条款' });
    expect(await provisions.locator('th', { hasText: '第三十条第三款' }).count()).toBe(1);
    await noSeriousViolations(page);
    // The import is the administrator's: refused by permission even with a valid form token.
    const token = await page.locator('input[name=_csrf]').first().inputValue();
    const forged = await page.request.post(`${app.url}/console/catalogue/import`, { multipart: { _csrf: token, file: { name: '废止.csv', mimeType: 'text/csv', buffer: Buffer.from('法规名称,废止日期\n') } }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
  });

  it('imports catalogue files: checked first, every bad row at its row and column, then written; a form without its token is refused', async () => {
    const page = await newPage();
    await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password, '/console/catalogue');
    const noToken = await page.request.post(`${app.url}/console/catalogue/import`, { multipart: { file: { name: '废止.csv', mimeType: 'text/csv', buffer: Buffer.from('法规名称,废止日期\n') } }, maxRedirects: 0 });
    expect(noToken.status()).toBe(403);
    const files = [fixture('条文-原版本.csv'), fixture('条文.csv'), fixture('条文对照.csv')];
    await page.getByLabel(/^法规目录文件/).setInputFiles(files);
    await page.getByLabel(/只检查/).check();
    await page.getByRole('button', { name: '导入', exact: true }).click();
    expect(await mainText(page)).toContain('检查通过（未写入）：将导入3 部法规');
    expect(await mainText(page)).not.toContain('《测试乡镇管理条例》');
    // A bad crosswalk: each problem at its file, row and column; nothing written.
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-')), '对照.csv');
    fs.writeFileSync(bad, '法规名称,原施行日期,原条款,新施行日期,新条款\n测试乡镇管理条例,2020-01-01,第五条,2026-13-01,第八条\n测试乡镇管理条例,2020-01-01,五,2026-01-01,第八条\n');
    await page.getByLabel(/^法规目录文件/).setInputFiles([fixture('条文.csv'), bad]);
    await page.getByRole('button', { name: '导入', exact: true }).click();
    expect(await mainText(page)).toContain('文件有 2 处错误，什么也没有写入');
    const errors = page.getByRole('region', { name: '法规目录导入的错误' }).locator('tbody tr');
    expect(await errors.allInnerTexts()).toEqual([expect.stringMatching(/^对照\.csv\s+2\s+新施行日期\s+/), expect.stringMatching(/^对照\.csv\s+3\s+原条款\s+/)]);
    await noSeriousViolations(page);
    await docScreenshot(page, 'console/catalogue-import-errors.png');
    await page.getByLabel(/^法规目录文件/).setInputFiles(files);
    await page.getByRole('button', { name: '导入', exact: true }).click();
    expect(await mainText(page)).toContain('已导入：3 部法规');
    await page.goto(`${app.url}/console/catalogue?q=测试条例`);
    await page.getByRole('link', { name: '《测试乡镇管理条例》' }).click();
    expect(await mainText(page)).toContain('乡镇人民政府应当每半年组织一次测试检查');
    expect(await page.getByRole('region', { name: /条文对照$/ }).locator('tbody tr').count()).toBe(4);
    await noSeriousViolations(page);
    await docScreenshot(page, 'console/instrument.png');
  });

  it('shows, per list on the dashboard, the open draft\'s warnings and the open basis alerts with a link to them', async () => {
    const draft = await app.adminGql(`mutation{ createDraft(regionCode:"${XUSHE}", kind: RESPONSIBILITY){ id } }`, {}, editorToken);
    const draftId = draft.data.createDraft.id;
    const page = await newPage();
    await signIn(page, 'cq-editor', 'cq-editor-password-1');
    const row = page.locator('tr', { has: page.locator('th a', { hasText: '徐舍镇' }) });
    const cell = await row.locator('td').first().innerText();
    expect(cell).toMatch(/提示 \d+ 项：依据无法在法规库中找到 \d+/);
    expect(cell).toContain('依据变更提醒 2 条');
    expect(await row.getByRole('link', { name: /^提示/ }).getAttribute('href')).toBe(`/console/versions/${draftId}#gates`);
    await noSeriousViolations(page);
    await docScreenshot(page, 'console/dashboard-alerts.png');
    await row.getByRole('link', { name: '依据变更提醒 2 条' }).click();
    expect(new URL(page.url()).pathname).toBe(`/console/townships/${XUSHE}`);
    expect(await page.getByRole('heading', { name: '法律依据变化提示（2）' }).count()).toBe(1);
  });

  it('lists the region\'s unanswered questions and maps one to an item; a wrong code is refused next to its field', async () => {
    const question = '村头石狮子被人搬走了找谁';
    await app.publicGql(`query($q:String!,$r:String!){ whoIsAccountable(question:$q, regionCode:$r){ answers { item { itemCode } } } }`, { q: question, r: XUSHE });
    await app.registry.app.get(QuestionLogService).flush();
    const items = await app.publicGql(`{ listVersions(regionCode:"${XUSHE}", kind: RESPONSIBILITY){ items(first:1){ edges { node { itemCode } } } } }`);
    const itemCode = items.data.listVersions[0].items.edges[0].node.itemCode;

    const page = await newPage();
    await signIn(page, 'cq-editor', 'cq-editor-password-1', `/console/questions?region=${XUSHE}`);
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: `“${question}”` }) });
    expect(await card.innerText()).toContain('无答复');
    await noSeriousViolations(page);
    await docScreenshot(page, 'console/questions.png');
    await card.getByLabel('正确的事项编码').fill('NO-SUCH-ITEM');
    await card.getByRole('button', { name: '对应到该事项' }).click();
    const refused = page.locator('section.card', { has: page.getByRole('heading', { name: `“${question}”` }) });
    expect(await refused.getByLabel('正确的事项编码').getAttribute('aria-invalid')).toBe('true');
    expect(await refused.getByRole('alert').innerText()).toContain('未找到现行事项“NO-SUCH-ITEM”');
    // An editor may not add a county-wide synonym: the choice is not offered.
    expect(await refused.locator('option[value=SYNONYM]').count()).toBe(0);
    await noSeriousViolations(page);
    await refused.getByLabel('正确的事项编码').fill(itemCode);
    await refused.getByRole('button', { name: '对应到该事项' }).click();
    expect(await mainText(page)).toContain('提问已处理');
    expect(await page.getByRole('heading', { name: `“${question}”` }).count()).toBe(0);
  });

  it('changes a user\'s own password: both new entries must agree, the current one is checked, the session goes on', async () => {
    const page = await newPage();
    await signIn(page, 'cq-township', 'cq-township-password-1', '/console/password');
    // The question queue is for editors.
    expect((await page.request.get(`${app.url}/console/questions`)).status()).toBe(403);
    await page.getByLabel('当前密码').fill('cq-township-password-1');
    await page.getByLabel('新密码', { exact: true }).fill('cq-township-new-password-2');
    await page.getByLabel('再次输入新密码').fill('cq-township-other-password');
    await page.getByRole('button', { name: '修改密码' }).click();
    expect(await page.getByLabel('再次输入新密码').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').innerText()).toBe('两次输入的新密码不一致');
    await page.getByLabel('当前密码').fill('not-my-password');
    await page.getByLabel('新密码', { exact: true }).fill('cq-township-new-password-2');
    await page.getByLabel('再次输入新密码').fill('cq-township-new-password-2');
    await page.getByRole('button', { name: '修改密码' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('当前密码不正确');
    expect(await page.getByLabel('当前密码').getAttribute('aria-invalid')).toBe('true');
    // The service's rules for the new password, in its words, next to the field.
    await page.getByLabel('当前密码').fill('cq-township-password-1');
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('再次输入新密码').fill('short');
    await page.getByRole('button', { name: '修改密码' }).click();
    expect(await page.getByLabel('新密码', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await noSeriousViolations(page);
    await docScreenshot(page, 'console/password.png');
    await page.getByLabel('当前密码').fill('cq-township-password-1');
    await page.getByLabel('新密码', { exact: true }).fill('cq-township-new-password-2');
    await page.getByLabel('再次输入新密码').fill('cq-township-new-password-2');
    await page.getByRole('button', { name: '修改密码' }).click();
    expect(await mainText(page)).toContain('密码已修改');
    await page.goto(`${app.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console');
    await expect(app.login('cq-township', 'cq-township-password-1')).rejects.toThrow();
    expect(await app.login('cq-township', 'cq-township-new-password-2')).toBeTruthy();
  });
});
