import { listApi, ok, TOWN_B } from '../setup/lists-api.js';
import { TEST_ADMIN } from '../setup/test-database.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/** A browser without a browser: cookies kept, redirects not followed, the CSRF token read from the page. */
function consoleClient(app: TestApp, headers: Record<string, string> = {}) {
  const jar = new Map<string, string>();
  const client = {
    lastSetCookie: [] as string[],
    async request(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
      const res = await fetch(`${app.url}${path}`, {
        method: init.method ?? (init.form ? 'POST' : 'GET'),
        redirect: 'manual',
        headers: {
          accept: 'text/html',
          ...headers,
          ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      });
      client.lastSetCookie = res.headers.getSetCookie();
      for (const c of client.lastSetCookie) {
        const [pair, ...attrs] = c.split(';');
        const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
        if (attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))) jar.delete(name);
        else jar.set(name, value);
      }
      return { status: res.status, location: res.headers.get('location'), headers: res.headers, text: await res.text() };
    },
    csrf: (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
    async signIn(username: string, password: string) {
      const form = await client.request('/console/sign-in');
      return client.request('/console/sign-in', { form: { _csrf: client.csrf(form.text), username, password, next: '/console' } });
    },
  };
  return client;
}

/** The console over plain HTTP: the failed-login limit it shares with the API, cookies behind TLS, four eyes, sessions that end. */
describe('county console over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => app?.close());

  it('counts failed sign-ins with the API login: past the limit both are refused (429, Retry-After), in Chinese', async () => {
    await app.createUser('cx-limited', 'EDITOR', '320282');
    const browser = consoleClient(app);
    for (let i = 0; i < 4; i++) expect((await browser.signIn('cx-limited', 'wrong-password-1')).status).toBe(401);
    const fifth = await browser.signIn('cx-limited', 'wrong-password-1');
    expect(fifth.status).toBe(429);
    expect(fifth.text).toContain('登录失败次数过多');
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    // The right password now waits too, and so does the API's login from the same address.
    expect((await browser.signIn('cx-limited', 'cx-limited-password-1')).status).toBe(429);
    const api = await app.adminGql('mutation { login(username:"cx-limited", password:"cx-limited-password-1"){ token } }', {}, null);
    expect(api.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('sets the session cookie Secure when the request came over TLS (a trusted proxy says so), and never before', async () => {
    const plain = consoleClient(app);
    await plain.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    expect(plain.lastSetCookie.find((c) => c.startsWith('qz_console='))).toMatch(/HttpOnly; SameSite=Strict$/);
    const tls = consoleClient(app, { 'x-forwarded-proto': 'https' });
    const signedIn = await tls.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    expect(signedIn.status).toBe(303);
    expect(tls.lastSetCookie.find((c) => c.startsWith('qz_console='))).toMatch(/; Path=\/console; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('four eyes: who submitted sees no approve button, and a forged approval is refused by the service', async () => {
    const api = listApi(app);
    const draft = ok(await api.createDraft(app.adminToken, TOWN_B, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.submit(app.adminToken, draft.id), 'submitForReview');
    const admin = consoleClient(app);
    await admin.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const page = await admin.request(`/console/versions/${draft.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('这个版本是您提交的，须由另一名审核人员审核');
    expect(page.text).not.toContain('审核通过</button>');
    const forged = await admin.request(`/console/versions/${draft.id}/approve`, { form: { _csrf: admin.csrf(page.text), opinion: '同意' } });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('不能审核自己提交的版本，须由另一名审核人员审核');
    expect(ok(await api.version(draft.id, app.adminToken), 'listVersion').status).toBe('IN_REVIEW');
  });

  it('ends a session when the user is disabled, and on sign-out; a signed-out session cannot be used again', async () => {
    await app.createUser('cx-editor', 'EDITOR', '320282');
    const editor = consoleClient(app);
    expect((await editor.signIn('cx-editor', 'cx-editor-password-1')).location).toBe('/console');
    const dashboard = await editor.request('/console');
    expect(dashboard.status).toBe(200);
    const id = (await app.dataSource.query(`SELECT id FROM app_user WHERE username = 'cx-editor'`))[0].id;
    ok(await app.adminGql('mutation($id: ID!){ disableUser(id: $id){ disabled } }', { id }), 'disableUser');
    const after = await editor.request('/console');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/console\/sign-in\?/);

    const admin = consoleClient(app);
    await admin.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const session = admin.lastSetCookie.find((c) => c.startsWith('qz_console='))!.split(';')[0];
    const page = await admin.request('/console');
    expect((await admin.request('/console/sign-out', { form: { _csrf: admin.csrf(page.text) } })).location).toBe('/console/sign-in?done=signedOut');
    const replayed = await fetch(`${app.url}/console`, { redirect: 'manual', headers: { cookie: session } });
    expect(replayed.status).toBe(303);
  });

  it("shows a township's open basis alerts to its county's editor, and to no one outside", async () => {
    await app.createUser('cx-alerts', 'EDITOR', '320282');
    await app.createUser('cx-alerts-jy', 'EDITOR', '320281');
    const editor = consoleClient(app);
    await editor.signIn('cx-alerts', 'cx-alerts-password-1');
    // 徐舍镇 (demo) cites 行政处罚法第二十条 and 统计法第二十七条第三款, renumbered since.
    const page = await editor.request('/console/townships/320282103');
    expect(page.status).toBe(200);
    expect(page.text).toContain('法律依据变化提示');
    expect(page.text).toContain('条文序号变动');
    expect(page.text).toContain('第三十条第三款');
    const outsider = consoleClient(app);
    await outsider.signIn('cx-alerts-jy', 'cx-alerts-jy-password-1');
    expect((await outsider.request('/console/townships/320282103')).text).not.toContain('法律依据变化提示');
  });
});
