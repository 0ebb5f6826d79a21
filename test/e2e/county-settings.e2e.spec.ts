import { codeOf, startTestApp, type TestApp } from '../setup/test-app.js';

const FIELDS = 'countyCode listReviewMonths backdateLimitDays threePartyPublication updatedBy';
const READ = `query($c:String!){ countySettings(countyCode:$c){ ${FIELDS} } }`;
const UPDATE = `mutation($c:String!,$i:CountySettingsInput!){ updateCountySettings(countyCode:$c, input:$i){ ${FIELDS} } }`;
const TRAIL = 'query($id:ID!){ auditTrail(entityType:"CountySettings", entityId:$id){ action actor before after } }';

describe('county settings', () => {
  let app: TestApp;
  let editor: string;
  let outsider: string;
  beforeAll(async () => {
    app = await startTestApp();
    editor = await app.createUser('cs-editor', 'EDITOR', '320282');
    outsider = await app.createUser('cs-outsider', 'EDITOR', '320281');
  });
  afterAll(() => app?.close());

  it('answers the defaults for a county that never set any', async () => {
    const r = await app.adminGql(READ, { c: '320281' });
    expect(r.errors).toBeUndefined();
    expect(r.data.countySettings).toEqual({ countyCode: '320281000000', listReviewMonths: null, backdateLimitDays: null, threePartyPublication: false, updatedBy: null });
  });

  it('lets an ADMIN change one setting at a time, clear a bound with null, and records each change in the audit trail', async () => {
    let r = await app.adminGql(UPDATE, { c: '320282', i: { listReviewMonths: 24, backdateLimitDays: 30 } });
    expect(r.errors).toBeUndefined();
    expect(r.data.updateCountySettings).toMatchObject({ countyCode: '320282000000', listReviewMonths: 24, backdateLimitDays: 30, threePartyPublication: false });
    r = await app.adminGql(UPDATE, { c: '320282000000', i: { threePartyPublication: true, backdateLimitDays: null } });
    expect(r.data.updateCountySettings).toMatchObject({ listReviewMonths: 24, backdateLimitDays: null, threePartyPublication: true });
    const read = await app.adminGql(READ, { c: '320282' }, editor);
    expect(read.data.countySettings).toMatchObject({ listReviewMonths: 24, backdateLimitDays: null, threePartyPublication: true });
    const trail = await app.adminGql(TRAIL, { id: '320282000000' });
    expect(trail.data.auditTrail.map((e: { action: string }) => e.action)).toEqual(['updateCountySettings', 'updateCountySettings']);
    const last = trail.data.auditTrail[1];
    expect(JSON.parse(last.before)).toEqual({ listReviewMonths: 24, backdateLimitDays: 30, threePartyPublication: false });
    expect(JSON.parse(last.after)).toEqual({ listReviewMonths: 24, backdateLimitDays: null, threePartyPublication: true });
  });

  it.each([
    [{ listReviewMonths: 0 }, 'listReviewMonths'],
    [{ listReviewMonths: 121 }, 'listReviewMonths'],
    [{ backdateLimitDays: -1 }, 'backdateLimitDays'],
  ])('refuses %j naming the field', async (input, field) => {
    const r = await app.adminGql(UPDATE, { c: '320282', i: input });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions!.field).toBe(field);
  });

  it('refuses a code that is not a county', async () => {
    const r = await app.adminGql(UPDATE, { c: '320282100', i: { listReviewMonths: 12 } });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions!.field).toBe('countyCode');
    expect(r.errors![0].message).toContain('不是县级区划');
  });

  it('lets only an ADMIN change settings, and a county user read only its own county', async () => {
    expect(codeOf(await app.adminGql(UPDATE, { c: '320282', i: { listReviewMonths: 6 } }, editor))).toBe('FORBIDDEN');
    expect(codeOf(await app.adminGql(READ, { c: '320282' }, outsider))).toBe('FORBIDDEN');
    expect(codeOf(await app.adminGql(READ, { c: '320282' }, ''))).toBe('UNAUTHENTICATED');
  });

  it('is not on the public endpoint', async () => {
    const r = await app.publicGql(READ, { c: '320282' });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
