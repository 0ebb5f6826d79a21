import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { todayInChina } from '../../src/common/local-date.scalar.js';
import { docScreenshot, launchBrowser, mainText, seriousAccessibilityViolations } from '../setup/browser.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const WORKBOOK = path.join(process.cwd(), 'test/fixtures/xizhu-responsibility.xlsx');
const BODIES = path.join(process.cwd(), 'test/fixtures/xizhu-bodies.csv');
const XIZHU = '320282101';

/**
 * The county console in Chromium, on the services and permissions of /admin/graphql: 西渚镇's
 * bodies registered, its workbook imported (dry run, then the draft), one field edited, submitted,
 * reviewed by another user, published — and the public API shows the list. Negative paths: the
 * submitter cannot approve, another county's user cannot open the draft, a form without its CSRF
 * token is refused, a stale edit shows the conflict.
 */
describe('county console in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    await app.createUser('cc-editor', 'EDITOR', '320282');
    await app.createUser('cc-reviewer', 'REVIEWER', '320282');
    await app.createUser('cc-jiangyin', 'EDITOR', '320281');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.close();
  });

  const newPage = async (viewport = { width: 1024, height: 900 }) => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  };

  /** Signs in through the form the console leads to; lands back on `next`. */
  const signIn = async (page: Page, username: string, password: string, next = '/console') => {
    await page.goto(`${app.url}${next}`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.getByLabel(/^用户名/).fill(username);
    await page.getByLabel(/^密码/).fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    expect(new URL(page.url()).pathname).toBe(next.split('?')[0]);
  };

  const noSeriousViolations = async (page: Page) => expect(await seriousAccessibilityViolations(page)).toEqual([]);

  it('signs in with a session cookie and a CSRF token; wrong passwords are refused in Chinese; sign-out ends the session', async () => {
    const page = await newPage({ width: 375, height: 800 });
    await page.goto(`${app.url}/console`);
    expect(await page.locator('h1').innerText()).toBe('登录权责清单管理');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await noSeriousViolations(page);
    await docScreenshot(page, 'console/sign-in.png');
    await page.getByLabel(/^用户名/).fill('cc-editor');
    await page.getByLabel(/^密码/).fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('用户名或密码错误');
    await page.getByLabel(/^密码/).fill('cc-editor-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    expect(new URL(page.url()).pathname).toBe('/console');
    const [session] = (await page.context().cookies()).filter((c) => c.name === 'qz_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    expect(await mainText(page)).toContain('西渚镇');
    await page.getByRole('button', { name: '退出登录' }).click();
    expect(await mainText(page)).toContain('已退出登录');
    await page.goto(`${app.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });

  it('runs the lifecycle: bodies, import with a dry run, edit, submit, review by another user, publish; the public API shows the list', async () => {
    // The editor registers 西渚镇's own bodies from a file (MANAGE_COUNTY_BODIES; the county's departments are in the catalogue): checked first, then written.
    const editor = await newPage();
    await signIn(editor, 'cc-editor', 'cc-editor-password-1', '/console/bodies?region=320282');
    await editor.getByLabel(/^主体目录文件/).setInputFiles(BODIES);
    await editor.getByLabel(/只检查/).check();
    await editor.getByRole('button', { name: '导入', exact: true }).click();
    expect(await mainText(editor)).toContain('检查通过（未写入）：将新增 3 个主体');
    expect(await mainText(editor)).not.toContain('西渚镇综合行政执法大队');
    await editor.getByLabel(/^主体目录文件/).setInputFiles(BODIES);
    await editor.getByRole('button', { name: '导入', exact: true }).click();
    expect(await mainText(editor)).toContain('已导入：新增 3 个主体');
    const enforcement = editor.locator('tr', { has: editor.locator('td', { hasText: /^西渚镇综合行政执法大队$/ }) });
    await enforcement.getByLabel(/的新别名$/).fill('西渚执法大队');
    await enforcement.getByRole('button', { name: '添加别名' }).click();
    expect(await mainText(editor)).toContain('别名已登记');
    // A refusal of the service, next to its field.
    await enforcement.getByLabel(/的新别名$/).fill('西渚镇人民政府');
    await enforcement.getByRole('button', { name: '添加别名' }).click();
    expect(await enforcement.getByRole('alert').innerText()).toContain('西渚镇人民政府');
    await noSeriousViolations(editor);

    // The editor uploads the workbook: the dry-run report, nothing written yet.
    await editor.goto(`${app.url}/console/townships/${XIZHU}`);
    await editor.locator('#import-kind').selectOption('RESPONSIBILITY');
    await editor.getByLabel(/^清单文件/).setInputFiles(WORKBOOK);
    await editor.getByRole('button', { name: '检查文件' }).click();
    expect(await editor.locator('h1').innerText()).toBe('西渚镇责任清单：导入检查结果');
    expect(await mainText(editor)).toContain('文件检查通过，共 24 个事项，尚未写入');
    const summary = editor.getByRole('region', { name: '导入结果汇总' });
    expect((await summary.locator('td').allInnerTexts())[0]).toBe('24');
    expect(await editor.getByRole('region', { name: '逐项变化' }).locator('tbody tr').count()).toBe(24);
    await noSeriousViolations(editor);
    await docScreenshot(editor, 'console/import-report.png');
    expect((await app.publicGql(`{ listVersions(regionCode:"${XIZHU}", kind: RESPONSIBILITY){ id } }`)).data.listVersions).toEqual([]);
    await editor.getByRole('button', { name: '创建草稿' }).click();
    expect(await mainText(editor)).toContain('已按导入文件创建草稿');
    expect(await editor.locator('h1').innerText()).toContain('西渚镇责任清单 v1');
    const versionUrl = editor.url().replace(/\?.*$/, '');
    const versionPath = new URL(versionUrl).pathname;
    expect(await editor.getByRole('heading', { name: /基本履职事项（13）/ }).count()).toBe(1);
    expect(await editor.getByRole('heading', { name: /配合履职事项（7）/ }).count()).toBe(1);
    expect(await editor.getByRole('heading', { name: /上级部门收回事项（4）/ }).count()).toBe(1);

    // Another county's editor cannot open the draft by its URL.
    const other = await newPage();
    await signIn(other, 'cc-jiangyin', 'cc-jiangyin-password-1');
    const refused = await other.goto(versionUrl);
    expect(refused?.status()).toBe(404);
    expect(await mainText(other)).toContain('未找到该清单版本，或它不在您的管辖区划内');
    expect(await mainText(other)).not.toContain('320282-101-JB-001');

    // A form posted without its CSRF token is refused, and changes nothing.
    const forged = await editor.request.post(`${versionUrl}/submit`, { form: {}, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('缺少或不正确的安全令牌');

    // One field edited; the form saves and the list shows it.
    await editor.getByRole('link', { name: '修改事项 320282-101-JB-001' }).click();
    await noSeriousViolations(editor);
    await docScreenshot(editor, 'console/item-form.png');
    const description = editor.getByLabel(/^事项描述/);
    await description.fill('对使用原有宅基地、村内空闲地和其他土地建设住宅的农村村民建房申请进行审核批准，实行联审联办。');
    await editor.getByRole('button', { name: '保存' }).click();
    expect(await mainText(editor)).toContain('事项已保存');

    // A stale edit: the form was opened before someone else's save, and says so plainly.
    const tab = await editor.context().newPage();
    await tab.goto(`${app.url}${versionPath}/items/320282-101-JB-002`);
    await editor.getByRole('link', { name: '修改事项 320282-101-JB-003' }).click();
    await editor.getByLabel(/^关键词/).fill('秸秆焚烧、烧稻草、禁烧、烧秸秆');
    await editor.getByRole('button', { name: '保存' }).click();
    expect(await mainText(editor)).toContain('事项已保存');
    await tab.getByLabel(/^村级职责/).fill('开展网格巡查，及时劝阻、报告，配合拆除。');
    await tab.getByRole('button', { name: '保存' }).click();
    expect(await tab.getByRole('alert').first().innerText()).toContain('有人在您打开此页后修改了这份草稿');
    expect(await tab.getByLabel(/^村级职责/).inputValue()).toBe('开展网格巡查，及时劝阻、报告，配合拆除。');
    await tab.close();

    // Gate findings (no legal basis, a duplicate name, an unresolved citation) need a reason each before review.
    for (let i = 0; i < 30 && (await editor.getByRole('button', { name: '登记理由' }).count()) > 0; i++) {
      await editor.getByLabel(/的理由$/).first().fill('依据以县司法局审定的文本为准，法规库待补录。');
      await editor.getByRole('button', { name: '登记理由' }).first().click();
      expect(await mainText(editor)).toContain('理由已登记');
    }
    await noSeriousViolations(editor);
    await docScreenshot(editor, 'console/draft.png');
    await editor.getByRole('button', { name: '提交审核' }).click();
    expect(await mainText(editor)).toContain('已提交审核');

    // The submitter has no approve button, and a forged approval is refused by the service.
    expect(await editor.getByRole('button', { name: '审核通过' }).count()).toBe(0);
    const token = await editor.locator('input[name=_csrf]').first().inputValue();
    const approveForged = await editor.request.post(`${versionUrl}/approve`, { form: { _csrf: token, opinion: '自己审核' }, maxRedirects: 0 });
    expect(approveForged.status()).toBe(403);
    expect(await approveForged.text()).toContain('无权执行此操作');

    // The reviewer sees the version waiting, the diff against the version in force, and approves with an opinion.
    const reviewer = await newPage();
    await signIn(reviewer, 'cc-reviewer', 'cc-reviewer-password-1');
    await reviewer.getByRole('link', { name: /西渚镇责任清单 v1/ }).first().click();
    expect(new URL(reviewer.url()).pathname).toBe(versionPath);
    const diff = reviewer.getByRole('region', { name: '逐项变化' });
    expect(await diff.locator('tbody tr').count()).toBe(24);
    expect(await diff.innerText()).toContain('320282-101-JB-001');
    await noSeriousViolations(reviewer);
    await docScreenshot(reviewer, 'console/review.png');
    await reviewer.getByRole('button', { name: '退回修改' }).click();
    expect(await reviewer.locator('#approve-opinion-error').innerText()).toBe('退回时必须填写审核意见');
    await reviewer.getByLabel(/审核意见/).fill('经合法性审查，同意。');
    await reviewer.getByRole('button', { name: '审核通过' }).click();
    expect(await mainText(reviewer)).toContain('已审核通过');

    // The editor publishes with the approval number and the effective date.
    await editor.goto(versionUrl);
    await editor.getByLabel(/^批准文号/).fill('宜政发〔2026〕77号');
    await editor.getByLabel(/^生效日期/).fill(todayInChina());
    await editor.getByRole('button', { name: '发布' }).click();
    expect(await mainText(editor)).toContain('已发布');

    const published = await app.publicGql(
      `{ listVersionInForce(regionCode:"${XIZHU}", kind: RESPONSIBILITY){ number approvalDocNumber items(first: 100){ totalCount edges { node { itemCode description } } } } }`,
    );
    const inForce = published.data.listVersionInForce;
    expect(inForce).toMatchObject({ number: 1, approvalDocNumber: '宜政发〔2026〕77号', items: { totalCount: 24 } });
    const edited = inForce.items.edges.find((e: any) => e.node.itemCode === '320282-101-JB-001').node;
    expect(edited.description).toContain('实行联审联办');

    await editor.goto(`${app.url}/console`);
    await noSeriousViolations(editor);
    await docScreenshot(editor, 'console/dashboard.png');
    // A whole county's day of work in one browser: generous on a loaded machine (measured ~2.5 min at load 20 on 2 cores).
  }, 600_000);
});
