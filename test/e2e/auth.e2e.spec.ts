import jwt from 'jsonwebtoken';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../src/config/config.js';
import { TEST_ADMIN } from '../setup/test-database.js';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';

const LOGIN = 'mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token role regionCode } }';
const CREATE_USER = 'mutation($i:UserInput!){ createUser(input:$i){ id username role regionCode } }';
const REGIONS = '{ regions(parentCode:"320282") { code } }';
const fieldOf = (r: GraphQLResponse) => r.errors?.[0]?.extensions?.field;
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('login and tokens on /admin/graphql', () => {
  let app: TestApp;
  let secret: string;
  let adminClaims: jwt.JwtPayload;
  let editorToken: string;
  beforeAll(async () => {
    app = await startTestApp();
    secret = app.registry.app.get<QuanzeConfig>(QUANZE_CONFIG).jwtSecret;
    adminClaims = jwt.decode(app.adminToken) as jwt.JwtPayload;
    editorToken = await app.createUser('auth-editor', 'EDITOR', '320282');
  });
  afterAll(() => app?.close());

  describe('login', () => {
    it('returns a token, the role and the region scope', async () => {
      const r = await app.adminGql(LOGIN, { u: TEST_ADMIN.username, p: TEST_ADMIN.password }, null);
      expect(r.errors).toBeUndefined();
      expect(r.data.login).toMatchObject({ role: 'ADMIN', regionCode: null });
      expect(typeof r.data.login.token).toBe('string');
      expect((await app.adminGql(REGIONS, {}, r.data.login.token)).errors).toBeUndefined();
      const editor = await app.adminGql(LOGIN, { u: 'auth-editor', p: 'auth-editor-password-1' }, null);
      expect(editor.data.login).toMatchObject({ role: 'EDITOR', regionCode: '320282000000' });
    });

    it('refuses a wrong password and an unknown user alike, with UNAUTHENTICATED', async () => {
      const wrong = await app.adminGql(LOGIN, { u: TEST_ADMIN.username, p: 'not-the-password' }, null);
      const unknown = await app.adminGql(LOGIN, { u: 'nobody-here', p: 'not-the-password' }, null);
      for (const r of [wrong, unknown]) {
        expect(codeOf(r)).toBe('UNAUTHENTICATED');
        expect(r.data?.login ?? null).toBeNull();
      }
      expect(wrong.errors![0].message).toBe(unknown.errors![0].message); // does not tell which was wrong
    });

    it('is not served on the public endpoint', async () => {
      const r = await app.publicGql(LOGIN, { u: TEST_ADMIN.username, p: TEST_ADMIN.password });
      expect(r.status).toBe(400);
      expect(r.data?.login).toBeUndefined();
    });
  });

  describe('every other operation needs a valid token (UNAUTHENTICATED)', () => {
    const refused = async (token: string | null, query = REGIONS) => {
      const r = await app.adminGql(query, { i: { username: 'x-intruder', password: 'intruder-password', role: 'ADMIN' } }, token);
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
      expect(r.data ?? null).toBeNull();
      return r;
    };

    it('no token, for a query and for a mutation', async () => {
      await refused(null);
      await refused(null, CREATE_USER);
    });

    it('an Authorization header that is not a bearer token', async () => {
      const r = await fetch(`${app.url}/admin/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${app.adminToken}` },
        body: JSON.stringify({ query: REGIONS }),
      });
      expect(((await r.json()) as GraphQLResponse).errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('a forged token: claims changed under the original signature', async () => {
      const [header, , signature] = editorToken.split('.');
      const editorClaims = jwt.decode(editorToken) as jwt.JwtPayload;
      await refused(`${header}.${b64({ ...editorClaims, role: 'ADMIN', region: null })}.${signature}`, CREATE_USER);
    });

    it('an unsigned token (alg none)', async () => {
      await refused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(adminClaims)}.`, CREATE_USER);
    });

    it('a token signed with another secret, or by another issuer', async () => {
      const { sub, role, region, name } = adminClaims;
      await refused(jwt.sign({ sub, role, region, name }, 'another-secret-another-secret-another-secret', { issuer: 'quanze', expiresIn: 600 }), CREATE_USER);
      await refused(jwt.sign({ sub, role, region, name }, secret, { issuer: 'someone-else', expiresIn: 600 }), CREATE_USER);
    });

    it('an expired token, saying so', async () => {
      const { sub, role, region, name } = adminClaims;
      const expired = jwt.sign({ sub, role, region, name, exp: Math.floor(Date.now() / 1000) - 60 }, secret, { issuer: 'quanze' });
      const r = await refused(expired);
      expect(r.errors![0].message).toContain('过期');
    });

    it('the token of a user who no longer exists', async () => {
      const token = await app.createUser('auth-deleted', 'TOWNSHIP', '320282100');
      expect((await app.adminGql(REGIONS, {}, token)).errors).toBeUndefined();
      await app.dataSource.query('DELETE FROM app_user WHERE username = $1', ['auth-deleted']);
      await refused(token);
    });

    it('a token made with the right secret is accepted (the refusals above are about the token)', async () => {
      const { sub, role, region, name } = adminClaims;
      const token = jwt.sign({ sub, role, region, name }, secret, { issuer: 'quanze', expiresIn: 600 });
      expect((await app.adminGql(REGIONS, {}, token)).errors).toBeUndefined();
    });
  });

  describe('createUser', () => {
    const create = (input: Record<string, unknown>, token?: string) =>
      app.adminGql(CREATE_USER, { i: { password: 'a-good-password', ...input } }, token);

    it('creates users; the region short form comes back as the 12-digit code', async () => {
      const r = await create({ username: 'auth-reviewer', role: 'REVIEWER', regionCode: '320282' });
      expect(r.errors).toBeUndefined();
      expect(r.data.createUser).toMatchObject({ username: 'auth-reviewer', role: 'REVIEWER', regionCode: '320282000000' });
      expect((await app.login('auth-reviewer', 'a-good-password')).length).toBeGreaterThan(20);
      const admin = await create({ username: 'auth-second-admin', role: 'ADMIN' });
      expect(admin.data.createUser).toMatchObject({ role: 'ADMIN', regionCode: null });
    });

    it.each([
      ['a short password', { username: 'auth-u1', password: 'short', role: 'EDITOR', regionCode: '320282' }, 'password'],
      ['an unknown region', { username: 'auth-u2', role: 'EDITOR', regionCode: '329999' }, 'regionCode'],
      ['a malformed region', { username: 'auth-u3', role: 'EDITOR', regionCode: '32-02' }, 'regionCode'],
      ['a non-admin without region', { username: 'auth-u4', role: 'TOWNSHIP' }, 'regionCode'],
      ['a malformed username', { username: 'a b', role: 'EDITOR', regionCode: '320282' }, 'username'],
      ['a username already taken', { username: 'auth-editor', role: 'EDITOR', regionCode: '320282' }, 'username'],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_case, input, field) => {
      const r = await create(input);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldOf(r)).toBe(field);
      expect(r.errors![0].message).toMatch(/[\u4e00-\u9fff]/); // a message the clerk can read
      expect(r.data?.createUser ?? null).toBeNull();
    });

    it('refuses an EDITOR with FORBIDDEN, who can still read', async () => {
      const r = await create({ username: 'auth-by-editor', role: 'ADMIN' }, editorToken);
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect((await app.adminGql(REGIONS, {}, editorToken)).errors).toBeUndefined();
      const [{ n }] = await app.dataSource.query("SELECT count(*)::int AS n FROM app_user WHERE username = 'auth-by-editor'");
      expect(n).toBe(0);
    });
  });
});
