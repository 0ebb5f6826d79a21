// What a query may cost, requests from outside (CSRF, rate limits, caching), on an app
// started as in production (NODE_ENV=production) behind a trusted proxy, so that tests can speak
// from distinct client addresses through X-Forwarded-For.
import { codeOfRaw, extensionsOf, gqlGet, gqlPost, nextIp, rawGet, send, type RawResponse } from '../setup/http.js';
import { TOWN_A } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const PUBLIC_PER_MINUTE = 40;
const QUESTIONS_BURST = 5;
const EXPORTS_PER_MINUTE = 3;
const PAGES_PER_MINUTE = 4;
const PAGES_BURST = 2;
const ADMIN_PER_MINUTE = 150;
const nested = (field: string, times: number, leaf = 'code') => `${field} { `.repeat(times) + leaf + ' }'.repeat(times);

describe('hardened API: limits, CSRF, rate limits, caching (production settings)', () => {
  let app: TestApp;
  let pub: string;
  let adm: string;
  /** A public POST from a fresh client address (rate limits are per IP). */
  const publicPost = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    gqlPost(pub, query, variables, { 'x-forwarded-for': nextIp(), ...headers });
  const adminPost = (query: string, variables: Record<string, unknown> = {}, token: string | null = app.adminToken, headers: Record<string, string> = {}) =>
    gqlPost(adm, query, variables, { 'x-forwarded-for': nextIp(), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers });

  /** A refusal before execution: the status, the code naming the limit, and no data at all. */
  function refused(r: RawResponse, status: number, code: string) {
    expect({ status: r.status, code: codeOfRaw(r) }).toEqual({ status, code });
    expect(r.json?.data ?? null).toBeNull();
    return extensionsOf(r);
  }

  beforeAll(async () => {
    app = await startTestApp({
      NODE_ENV: 'production',
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_PUBLIC_PER_MINUTE: String(PUBLIC_PER_MINUTE),
      RATE_LIMIT_QUESTIONS_BURST: String(QUESTIONS_BURST),
      RATE_LIMIT_EXPORTS_PER_MINUTE: String(EXPORTS_PER_MINUTE),
      RATE_LIMIT_EXPORTS_BURST: '0',
      RATE_LIMIT_PAGES_PER_MINUTE: String(PAGES_PER_MINUTE),
      RATE_LIMIT_PAGES_BURST: String(PAGES_BURST),
      RATE_LIMIT_ADMIN_PER_MINUTE: String(ADMIN_PER_MINUTE),
    });
    pub = `${app.url}/graphql`;
    adm = `${app.url}/admin/graphql`;
  });
  afterAll(() => app?.close());

  describe('limits on what a query may cost, refused before any SQL', () => {
    it('depth: 11 levels → 400 QUERY_TOO_DEEP naming QUERY_MAX_DEPTH; 10 levels answer', async () => {
      const deep = await publicPost(`{ region(code:"320282100") { ${nested('parent', 10)} } }`);
      expect(refused(deep, 400, 'QUERY_TOO_DEEP')).toMatchObject({ setting: 'QUERY_MAX_DEPTH', max: 10, depth: 12 });
      const ok = await publicPost(`{ region(code:"320282100") { ${nested('parent', 8)} } }`);
      expect(ok.status).toBe(200);
      expect(ok.json.errors).toBeUndefined();
      expect(ok.json.data.region.parent.parent.parent.parent).toBeNull(); // township → county → city → province → none
    });

    it('depth counts through fragments, and malformed or self-spreading fragments are a clean 400, not a 500', async () => {
      const viaFragments = await publicPost(`{ region(code:"32") { ...A } } fragment A on Region { parent { ...B } } fragment B on Region { ${nested('parent', 9)} }`);
      expect(refused(viaFragments, 400, 'QUERY_TOO_DEEP').depth).toBe(12);
      for (const query of ['{ region(code:"32") { ...A } } fragment A on Region { parent { ...A } }', '{ region(code:"32") { ...Missing } }', '{ region(code:"32") { ... on Region { ...A } } } fragment A on Region {']) {
        const r = await publicPost(query);
        expect(r.status).toBe(400);
        expect(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']).toContain(codeOfRaw(r));
      }
    });

    it('aliases: 16 → 400 QUERY_TOO_MANY_ALIASES; 15 answer; a fragment counts once per spread', async () => {
      const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: region(code:"32") { code }`).join(' ');
      expect(refused(await publicPost(`{ ${aliases(16)} }`), 400, 'QUERY_TOO_MANY_ALIASES')).toMatchObject({ setting: 'QUERY_MAX_ALIASES', max: 15, aliases: 16 });
      expect((await publicPost(`{ ${aliases(15)} }`)).json.data.a14).toEqual({ code: '320000000000' });
      const spread = await publicPost(`{ x: region(code:"32") { ...F } y: region(code:"33") { ...F } } fragment F on Region { ${aliases(7).replace(/region\(code:"32"\)/g, 'parent')} }`);
      expect(refused(spread, 400, 'QUERY_TOO_MANY_ALIASES').aliases).toBe(16);
    });

    it('size: a query over QUERY_MAX_CHARS → 413, over QUERY_MAX_TOKENS → 400, both before parsing', async () => {
      const long = await publicPost(`{ region(code:"32") { code } } # ${'x'.repeat(10_100)}`);
      expect(refused(long, 413, 'QUERY_TOO_LARGE')).toMatchObject({ setting: 'QUERY_MAX_CHARS', max: 10_000 });
      // 1,200 tokens in 6,000 characters: short enough, too many tokens (and unparseable, which does not matter: not parsed)
      const tokens = await publicPost(`{ ${'a '.repeat(1200)}}`);
      expect(refused(tokens, 400, 'QUERY_TOO_MANY_TOKENS')).toMatchObject({ setting: 'QUERY_MAX_TOKENS', max: 1000 });
    });

    it('a 100 KB (and a 200 KB) query is refused before parsing: the 100 kB JSON body limit answers 413 as JSON', async () => {
      for (const size of [100 * 1024, 200 * 1024]) {
        const r = await publicPost(`{ regions(parentCode:"320282") { code } } # ${'x'.repeat(size)}`);
        expect(refused(r, 413, 'PAYLOAD_TOO_LARGE').max).toBe(100 * 1024);
        expect(r.headers.get('content-type')).toMatch(/json/);
      }
      // /admin/graphql takes bodies of several MB (imports) from logged-in users only: refused before reading otherwise
      const anonymousBig = await gqlPost(adm, 'mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }', { u: 'x'.repeat(200 * 1024), p: 'y' }, { 'x-forwarded-for': nextIp() });
      expect(refused(anonymousBig, 413, 'PAYLOAD_TOO_LARGE').max).toBe(100 * 1024);
      const loggedInBig = await adminPost('mutation($n:String!){ createBody(name:$n, kind:"政府部门", regionCode:"320282"){ id } }', { n: 'x'.repeat(200 * 1024) });
      expect(extensionsOf(loggedInBig)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
      const notJson = await send(pub, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp() }, body: '{"query": "{ __typename }"' });
      expect(refused(notJson, 400, 'BAD_REQUEST'));
      expect(notJson.text).not.toMatch(/at |node_modules|SyntaxError/);
    });

    it('JSON bodies on /admin/graphql: 4 MB at most (a saveItem with every field full), more only for an inline import', async () => {
      const department = await app.createUser('hl-json-department', 'DEPARTMENT', '320282');
      const editor = await app.createUser('hl-json-editor', 'EDITOR', '320282');
      const padded = (mb: number) => ({ pad: 'x'.repeat(mb * 1024 * 1024) });
      // 14 MB from a logged-in user, an administrator included: 413 (the user who cannot import, before the body is read)
      for (const token of [app.adminToken, editor, department]) {
        const r = await adminPost('{ __typename }', padded(14), token);
        expect(refused(r, 413, 'PAYLOAD_TOO_LARGE')).toMatchObject({ max: 4 * 1024 * 1024 });
      }
      expect(refused(await adminPost('{ __typename }', padded(5), app.adminToken), 413, 'PAYLOAD_TOO_LARGE').max).toBe(4 * 1024 * 1024);
      expect((await adminPost('{ __typename }', padded(3), department)).json.data).toEqual({ __typename: 'Query' });
      // an inline import of a 7 MB file (9.3 MB as base64) reaches the import, which reads the file
      const file = Buffer.from(`事项编码,事项名称\n${'x'.repeat(7 * 1024 * 1024)}\n`).toString('base64');
      const imported = await adminPost('mutation($c:String!){ importList(regionCode:"320282104", kind:RESPONSIBILITY, fileName:"a.csv", contentBase64:$c){ itemsImported errors { message } } }', { c: file }, editor);
      expect(imported.status).toBe(200);
      expect(imported.json.data.importList.itemsImported).toBe(0);
    });

    it('first above the page cap: public 100, admin 1000 → BAD_USER_INPUT naming the cap, before any SQL', async () => {
      const ask = (first: number) => `{ whoIsAccountable(question:"违建", regionCode:"${TOWN_A}", first:${first}) { answers { score } } }`;
      const statements: string[] = [];
      const logger = app.dataSource.logger;
      const own = Object.prototype.hasOwnProperty.call(logger, 'logQuery');
      const original = logger.logQuery;
      logger.logQuery = function (query: string, parameters?: unknown[], queryRunner?: any) {
        statements.push(query);
        return original.call(this, query, parameters, queryRunner);
      };
      let pub100000: RawResponse;
      try {
        pub100000 = await publicPost(ask(100_000));
      } finally {
        if (own) logger.logQuery = original;
        else delete (logger as { logQuery?: unknown }).logQuery;
      }
      expect(refused(pub100000, 400, 'BAD_USER_INPUT')).toMatchObject({ field: 'first', setting: 'PAGE_MAX_PUBLIC', max: 100 });
      expect(pub100000.json.errors[0].message).toContain('100');
      expect(statements).toEqual([]);
      const items = (first: number) => `query($id:ID!){ listVersion(id:$id){ items(first:${first}){ totalCount } } }`;
      const [{ id }] = await app.dataSource.query(`SELECT id FROM list_version WHERE status = 'PUBLISHED' LIMIT 1`);
      expect(extensionsOf(await publicPost(items(101), { id }))).toMatchObject({ code: 'BAD_USER_INPUT', max: 100 });
      expect((await publicPost(items(100), { id })).json.data.listVersion.items.totalCount).toBeGreaterThan(0);
      expect(extensionsOf(await adminPost(items(1001), { id }))).toMatchObject({ code: 'BAD_USER_INPUT', setting: 'PAGE_MAX_ADMIN', max: 1000 });
      expect((await adminPost(items(1000), { id })).json.data.listVersion.items.totalCount).toBeGreaterThan(0);
      // a variable is checked the same way
      const viaVariable = await publicPost('query($n:Int){ whoIsAccountable(question:"违建", regionCode:"320282100", first:$n) { answers { score } } }', { n: 5000 });
      expect(extensionsOf(viaVariable)).toMatchObject({ code: 'BAD_USER_INPUT', max: 100 });
    });

    it('complexity: nested lists multiply; above the limit → 400 QUERY_TOO_COMPLEX with the estimate', async () => {
      // regions × children × children × children: 1 + 20·(1 + 1 + 20·(1 + 20·(1 + 20·1))) = 168,441
      const r = await publicPost(`{ regions { code ${nested('children', 3)} } }`);
      const ext = refused(r, 400, 'QUERY_TOO_COMPLEX');
      expect(ext).toMatchObject({ setting: 'QUERY_MAX_COMPLEXITY_PUBLIC', max: 10_000, complexity: 168_441 });
      expect(r.json.errors[0].message).toContain('168441');
      // a whole page of 100 items with their bodies and citations is within the public limit
      const [{ id }] = await app.dataSource.query(`SELECT id FROM list_version WHERE status = 'PUBLISHED' LIMIT 1`);
      const page = await publicPost(`query($id:ID!){ listVersion(id:$id){ items(first:100){ edges { node { itemCode name description
        accountableBody { name level region { name } } cooperating { body { name } duty } citations { label text resolved } keywords } } } } }`, { id });
      expect(page.status).toBe(200);
      expect(page.json.errors).toBeUndefined();
    });

    it('batching: an array of operations in one request → 400', async () => {
      const r = await send(pub, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp() },
        body: JSON.stringify([{ query: '{ region(code:"32") { code } }' }, { query: '{ region(code:"33") { code } }' }]),
      });
      expect(r.status).toBe(400);
      expect(r.json?.data ?? null).toBeNull();
    });

    it('introspection and "did you mean" suggestions are off on /graphql in production', async () => {
      expect(refused(await publicPost('{ __schema { types { name } } }'), 400, 'INTROSPECTION_DISABLED'));
      expect(refused(await publicPost('{ __type(name:"Region") { fields { name } } }'), 400, 'INTROSPECTION_DISABLED'));
      expect((await publicPost('{ __typename }')).json.data).toEqual({ __typename: 'Query' });
      const typo = await publicPost('{ regoins { code } }');
      expect(codeOfRaw(typo)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(typo.text).not.toMatch(/Did you mean/);
    });

    it('/admin/graphql: introspection for logged-in users only', async () => {
      expect(refused(await adminPost('{ __schema { queryType { name } } }', {}, null), 401, 'UNAUTHENTICATED'));
      expect(refused(await adminPost('{ __schema { queryType { name } } }', {}, 'not-a-token'), 401, 'UNAUTHENTICATED'));
      expect(refused(await adminPost('query { ...I } fragment I on Query { __type(name:"Mutation") { name } }', {}, null), 401, 'UNAUTHENTICATED'));
      const ok = await adminPost('{ __schema { mutationType { fields { name } } } }');
      expect(ok.json.data.__schema.mutationType.fields.map((f: { name: string }) => f.name)).toContain('saveItem');
    });
  });

  describe('requests from outside', () => {
    it('CSRF: a text/plain or form POST without a preflight header → 400; a GET without one → 400', async () => {
      const body = JSON.stringify({ query: '{ region(code:"32") { code } }' });
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const r = await send(pub, { method: 'POST', headers: { 'content-type': type, 'x-forwarded-for': nextIp() }, body });
        expect([type, r.status]).toEqual([type, 400]);
        expect(r.json?.data ?? null).toBeNull();
      }
      const get = await send(`${pub}?query=${encodeURIComponent('{ region(code:"32") { code } }')}`, { headers: { 'x-forwarded-for': nextIp() } });
      expect(get.status).toBe(400);
    });

    it('mutations over GET → 405 on /admin/graphql (and 400 on /graphql, which has none)', async () => {
      const mutation = 'mutation { login(username:"a", password:"b") { token } }';
      const admin = await gqlGet(adm, mutation, { 'x-forwarded-for': nextIp() });
      expect(admin.status).toBe(405);
      expect(admin.headers.get('allow')).toBe('POST');
      expect((await gqlGet(pub, mutation, { 'x-forwarded-for': nextIp() })).status).toBe(400);
    });

    it('rate limits per IP and route class: questions (/graphql) with a burst; exports and pages on their own counters', async () => {
      const ip = '203.0.113.10';
      const questions = PUBLIC_PER_MINUTE + QUESTIONS_BURST;
      const statuses: number[] = [];
      for (let i = 0; i < questions; i++) statuses.push((await gqlPost(pub, '{ __typename }', {}, { 'x-forwarded-for': ip })).status);
      expect(statuses.filter((s) => s !== 200)).toEqual([]); // the limit, then the burst allowance
      const limited = await gqlPost(pub, '{ __typename }', {}, { 'x-forwarded-for': ip });
      expect(refused(limited, 429, 'RATE_LIMITED')).toMatchObject({ setting: 'RATE_LIMIT_QUESTIONS_PER_MINUTE', max: PUBLIC_PER_MINUTE, routeClass: 'questions' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect((await publicPost('{ __typename }')).status).toBe(200);
      // The same address still downloads and browses: exports and pages count apart (an office behind one NAT).
      const [{ id }] = await app.dataSource.query(`SELECT id FROM list_version WHERE status = 'PUBLISHED' LIMIT 1`);
      const exportsFrom = async (from: string) => (await send(`${app.url}/exports/versions/${id}.csv`, { headers: { 'x-forwarded-for': from } })).status;
      const exportStatuses: number[] = [];
      for (let i = 0; i < EXPORTS_PER_MINUTE + 1; i++) exportStatuses.push(await exportsFrom(ip));
      expect(exportStatuses).toEqual([...Array(EXPORTS_PER_MINUTE).fill(200), 429]);
      expect(await exportsFrom(nextIp())).toBe(200);
      const pageStatuses: number[] = [];
      for (let i = 0; i < PAGES_PER_MINUTE + PAGES_BURST + 1; i++) pageStatuses.push((await send(`${app.url}/`, { headers: { 'x-forwarded-for': ip } })).status);
      expect(pageStatuses).toEqual([...Array(PAGES_PER_MINUTE + PAGES_BURST).fill(200), 429]);
      const page = await send(`${app.url}/`, { headers: { 'x-forwarded-for': ip } });
      expect([page.status, page.headers.get('content-type'), page.text]).toEqual([429, 'text/plain; charset=utf-8', expect.stringContaining('页面请求过于频繁')]);
      expect(Number(page.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // /health and static assets are not counted
      expect((await send(`${app.url}/health`, { headers: { 'x-forwarded-for': ip } })).status).toBe(200);
    });

    it('rate limit per user on /admin/graphql: the same user from many addresses is limited, another user is not', async () => {
      const busy = await app.createUser('hl-busy-reader', 'DEPARTMENT', '320282');
      const other = await app.createUser('hl-other-reader', 'DEPARTMENT', '320282');
      const results = await Promise.all(Array.from({ length: ADMIN_PER_MINUTE + 5 }, () => adminPost('{ __typename }', {}, busy)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(ADMIN_PER_MINUTE);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
      const limited = results.find((r) => r.status === 429)!;
      expect(extensionsOf(limited)).toMatchObject({ code: 'RATE_LIMITED', setting: 'RATE_LIMIT_ADMIN_PER_MINUTE' });
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await adminPost('{ __typename }', {}, other)).status).toBe(200);
    });

    it('five wrong passwords in a minute → 429 RATE_LIMITED with Retry-After, even with the right password then; per username and IP', async () => {
      await app.createUser('hl-guessed', 'DEPARTMENT', '320282');
      const LOGIN = 'mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }';
      const ip = '203.0.113.20';
      const attempt = (p: string, from = ip, u = 'hl-guessed') => gqlPost(adm, LOGIN, { u, p }, { 'x-forwarded-for': from });
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) codes.push(codeOfRaw(await attempt(`wrong-${i}`)));
      expect(codes).toEqual(Array(4).fill('UNAUTHENTICATED'));
      const fifth = await attempt('wrong-5');
      expect(refused(fifth, 429, 'RATE_LIMITED')).toMatchObject({ setting: 'LOGIN_MAX_FAILURES', max: 5 });
      expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
      // now even the right password is refused from that address: guessing stops paying
      expect(codeOfRaw(await attempt('hl-guessed-password-1'))).toBe('RATE_LIMITED');
      // the same user from another address, and another user from this one, log in
      expect((await attempt('hl-guessed-password-1', '203.0.113.21')).json.data.login.token).toEqual(expect.any(String));
      expect((await attempt('test-admin-password', ip, 'test-admin')).json.data.login.token).toEqual(expect.any(String));
    });

    it('successful logins are not throttled', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, () => gqlPost(adm, 'mutation { login(username:"test-admin", password:"test-admin-password") { token } }', {}, { 'x-forwarded-for': '203.0.113.30' })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
      expect(results.every((r) => typeof r.json.data.login.token === 'string')).toBe(true);
    });

    it('caching: a public GET query answers public, max-age and an ETag; If-None-Match → 304', async () => {
      const query = '{ regions(parentCode:"320282") { code name } }';
      const first = await gqlGet(pub, query, { 'x-forwarded-for': nextIp() });
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('public, max-age=60');
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      // as a browser or a CDN revalidates (fetch() would add Cache-Control: no-cache to a conditional request)
      const again = await rawGet(`${pub}?query=${encodeURIComponent(query)}`, { 'apollo-require-preflight': 'true', 'x-forwarded-for': nextIp(), 'if-none-match': etag! });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
      // a different answer has another ETag
      const other = await gqlGet(pub, '{ regions(parentCode:"320281") { code name } }', { 'x-forwarded-for': nextIp() });
      expect(other.headers.get('etag')).not.toBe(etag);
    });

    it('caching: anything from /admin/graphql, with a token, by POST or with errors is private, no-store', async () => {
      const query = '{ regions(parentCode:"320282") { code } }';
      const cases: [string, RawResponse][] = [
        ['admin GET', await gqlGet(adm, query, { authorization: `Bearer ${app.adminToken}`, 'x-forwarded-for': nextIp() })],
        ['admin POST', await adminPost(query)],
        ['admin refusal', await adminPost(query, {}, null)],
        ['public GET with a token', await gqlGet(pub, query, { authorization: `Bearer ${app.adminToken}`, 'x-forwarded-for': nextIp() })],
        ['public POST', await publicPost(query)],
        ['public GET with an error', await gqlGet(pub, '{ region(code:"3x") { code } }', { 'x-forwarded-for': nextIp() })],
        ['public refusal (depth)', await publicPost(`{ region(code:"32") { ${nested('parent', 12)} } }`)],
      ];
      expect(cases.map(([name, r]) => [name, r.headers.get('cache-control')])).toEqual(cases.map(([name]) => [name, 'private, no-store']));
    });

    it('answers carry no X-Powered-By and say nosniff', async () => {
      const r = await publicPost('{ __typename }');
      expect(r.headers.get('x-powered-by')).toBeNull();
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });
});
