// Bad input to every input field of every mutation is refused cleanly and changes no row;
// a mutation that fails halfway leaves nothing; an unexpected failure says INTERNAL_SERVER_ERROR with
// a correlation id that is also in the log line; and, in development, introspection and suggestions.
import { Logger } from '@nestjs/common';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { LEAKS } from '../setup/http.js';
import { COUNTY, listApi, ok, TOWN_A, TOWN_B, townshipItems } from '../setup/lists-api.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
/** Far over any field's own limit, and under the body limits: what each field's length check sees. */
const OVERSIZED = 'x'.repeat(200_000);
/** Codes a refusal may carry: each names what was wrong, none is a server fault. */
const CLEAN_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT', 'VERSION_CONFLICT', 'PAYLOAD_TOO_LARGE']);
/** Stack frames and file paths: never in an answer. */
const TRACES = /\bat \S+ \(|\.ts:\d+|\.js:\d+|\/work\/|node_modules|QueryFailedError/;

const XIZHU = '320282101'; // 西渚镇: no demo lists
const TAIHUA = '320282102'; // 太华镇: no demo lists
const GUANLIN = '320282104'; // 官林镇: no demo lists

type Value = unknown;

/** Whether the field an error names is the spoiled leaf, its list or one of its elements, or the variable ($name…) holding it. */
const blames = (field: string, leaf: string) => field.startsWith('$') || leaf.startsWith(field) || field.startsWith(leaf);
const OMIT = Symbol('omit');

/**
 * Bad values for one input leaf, by the leaf's GraphQL type. `tenMegabytes`: the first text leaf
 * of each mutation gets a 10 MB string (refused by the JSON body limit, 413, except in importList,
 * whose body may carry a file and whose field checks refuse it); the others 200,000 characters,
 * which reach the fields' length checks.
 */
function badValues(type: GraphQLInputType, field: string, tenMegabytes: boolean): [string, Value][] {
  const required = isNonNullType(type);
  const named = getNamedType(type);
  const cases: [string, Value][] = [];
  if (required) cases.push(['missing', OMIT], ['null', null]);
  const strings: [string, Value][] = [
    tenMegabytes ? ['a 10 MB string', TEN_MB] : ['200,000 characters', OVERSIZED],
    ['control characters', 'abc\u0000\u0007\u001bdef'],
    ['a lone surrogate (invalid UTF-16)', 'abc\ud800def'],
    ['a SQL fragment', "x'; DROP TABLE list_item; --"],
    ['a script tag', '<script>alert(1)</script>'],
  ]; // the other shapes of each (bidi overrides, tautologies, event handlers…) are unit-tested in api-limits.spec.ts
  if (isScalarType(named) && (named.name === 'String' || named.name === 'ID')) {
    // A password is only ever hashed: any printable text, quotes and angle brackets included, is one.
    const isPassword = /password/i.test(field);
    cases.push(...strings.filter(([label]) => !isPassword || !/SQL|script|HTML/.test(label)));
    cases.push(['a number', 12345]);
    if (required && named.name === 'String') cases.push(['blank', '   ']);
  } else if (isScalarType(named) && named.name === 'Int') {
    cases.push(['a string', 'abc'], ['a fraction', 1.5], ['beyond 32 bits', 2 ** 40], ['a SQL fragment', '1; DROP TABLE list_item'], ['an object', {}], ['200,000 characters', OVERSIZED]);
  } else if (isScalarType(named)) {
    // dates
    cases.push(['an impossible date', '2025-02-30'], ['not a date', 'yesterday'], ['a SQL fragment', "2025-01-01'; DROP TABLE list_item; --"], ['a number', 20250101], ['200,000 characters', OVERSIZED]);
  } else if (isEnumType(named)) {
    cases.push(['an unknown value', 'NOT_A_VALUE'], ['lower case', named.getValues()[0].name.toLowerCase()], ['a SQL fragment', "BASIC'; DROP TABLE list_item; --"], ['a number', 1], ['200,000 characters', OVERSIZED]);
  }
  return cases;
}

/** Sets `value` at `path` ("input.cooperating[0].duty") in a copy of `vars`; OMIT removes the key. */
function withValue(vars: Record<string, unknown>, path: string, value: Value): Record<string, unknown> {
  const copy = structuredClone(vars);
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let target: any = copy;
  for (const key of keys.slice(0, -1)) target = target[key];
  const last = keys.at(-1)!;
  if (value === OMIT) delete target[last];
  else target[last] = value;
  return copy;
}

/** Every input leaf of an argument: "input.name", "input.cooperating[0].duty", "expansions[0]"… with its type. */
function leaves(type: GraphQLInputType, path: string, sample: unknown): [string, GraphQLInputType][] {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isInputObjectType(nullable)) {
    return Object.values(nullable.getFields()).flatMap((f) => leaves(f.type, `${path}.${f.name}`, (sample as Record<string, unknown> | undefined)?.[f.name]));
  }
  if (isListType(nullable)) {
    const item = nullable.ofType as GraphQLInputType;
    // the list's own absence/nullness, then its first element's leaves (the baseline gives at least one)
    const own: [string, GraphQLInputType][] = isNonNullType(type) ? [[path, type]] : [];
    return Array.isArray(sample) && sample.length ? [...own, ...leaves(item, `${path}[0]`, sample[0])] : own;
  }
  return [[path, type]];
}

// One app for the file (development settings), shared by both parts: an app costs seconds to start.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ LOGIN_MAX_FAILURES: '1000' });
});
afterAll(() => app?.close());

describe('bad input to every input field of every mutation (development settings)', () => {
  let api: ReturnType<typeof listApi>;
  let schema: GraphQLSchema;
  let editor: string;
  let reviewer: string;
  /** Mutation → who calls it and a call that would succeed: each case spoils one leaf of it. */
  let baselines: Record<string, { token: string | null; vars: Record<string, unknown> }>;

  /** A fingerprint of every row of every table a mutation could touch (the regions are only counted). */
  async function snapshot(): Promise<Record<string, string>> {
    const tables: { table_name: string }[] = await app.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const parts = tables.map(({ table_name: t }) =>
      ['region', 'provision'].includes(t)
        ? `SELECT '${t}' AS t, count(*)::text AS v FROM "${t}"`
        : `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') AS v FROM "${t}" x`,
    );
    const rows: { t: string; v: string }[] = await app.dataSource.query(parts.join(' UNION ALL '));
    return Object.fromEntries(rows.map((r) => [r.t, r.v]));
  }

  beforeAll(async () => {
    api = listApi(app);
    const introspected = await app.adminGql(getIntrospectionQuery());
    schema = buildClientSchema(introspected.data as IntrospectionQuery);

    ok(await api.createBody('西渚镇人民政府', XIZHU), 'createBody');
    ok(await api.createBody('太华镇人民政府', TAIHUA), 'createBody');
    ok(await api.createBody('西渚镇农业服务中心', XIZHU, '派出机构'), 'createBody');
    editor = await app.createUser('hi-editor', 'EDITOR', COUNTY);
    reviewer = await app.createUser('hi-reviewer', 'REVIEWER', COUNTY);
    const self = await app.createUser('hi-self', 'DEPARTMENT', COUNTY);
    await app.createUser('hi-managed', 'EDITOR', COUNTY);
    const [managed] = await app.dataSource.query(`SELECT id FROM app_user WHERE username = 'hi-managed'`);
    const xz = townshipItems(XIZHU, '西渚镇人民政府');
    const th = townshipItems(TAIHUA, '太华镇人民政府');
    // a draft with one item (saveItem, removeItem, submitForReview)
    const draft = ok(await api.createDraft(editor, XIZHU, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.saveItem(editor, draft.id, xz.recl), 'saveItem');
    // a version in review (approve, reject) and an approved one (publish)
    const inReview = ok(await api.createDraft(editor, TAIHUA, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.saveItem(editor, inReview.id, th.basic), 'saveItem');
    ok(await api.submit(editor, inReview.id), 'submitForReview');
    const approved = ok(await api.createDraft(editor, XIZHU, 'POWER'), 'createDraft');
    ok(await api.saveItem(editor, approved.id, { itemCode: `${COUNTY}-101-CF-001`, name: '对露天焚烧秸秆的行政处罚', category: 'PENALTY', source: 'DELEGATED', accountableBodyName: '西渚镇人民政府', legalBasis: '《中华人民共和国大气污染防治法》' }), 'saveItem');
    ok(await api.submit(editor, approved.id), 'submitForReview');
    ok(await api.approve(reviewer, approved.id, '同意'), 'approveVersion');
    const [body] = await app.dataSource.query(`SELECT id FROM body WHERE name = '西渚镇农业服务中心'`);
    // task admission: a county department, a user to link to it, a request awaiting the county's decision
    const [department] = await app.dataSource.query(`SELECT id FROM body WHERE name = '宜兴市民政局'`);
    const unlinked = ok(await app.adminGql('mutation { createUser(input: { username: "hi-department", password: "hi-department-password-1", role: DEPARTMENT, regionCode: "320282" }) { id } }'), 'createUser');
    const task = {
      issuingBodyId: department.id, targetCodes: [XIZHU], title: '困难群众走访慰问', content: '请各镇走访慰问困难群众。', requestedStart: '2026-09-01',
      deadline: '2026-12-31', claimedBasis: '《社会救助暂行办法》第四条', attachmentNames: ['通知.pdf'],
      reporting: { frequency: 'WEEKLY', sameDay: false, forms: ['走访记录表'], photos: true, meetings: false, responsibilityLetter: false, assessmentWeight: 2 },
    };
    const awaiting = ok(await app.adminGql('mutation($i: TaskRequestInput!) { submitTaskRequest(input: $i) { id status } }', { i: task }), 'submitTaskRequest');

    baselines = {
      login: { token: null, vars: { username: 'hi-editor', password: 'hi-editor-password-1' } },
      createUser: { token: app.adminToken, vars: { input: { username: 'hi-new-user', password: 'a-good-password-1', role: 'EDITOR', regionCode: COUNTY } } },
      createBody: { token: app.adminToken, vars: { name: '西渚镇综合行政执法队', kind: '执法机构', regionCode: XIZHU } },
      renameBody: { token: app.adminToken, vars: { id: body.id, name: '西渚镇农业农村服务中心' } },
      createDraft: { token: editor, vars: { regionCode: GUANLIN, kind: 'RESPONSIBILITY', changeReason: '其他' } },
      saveItem: {
        token: editor,
        vars: {
          versionId: draft.id,
          expectedRevision: null,
          input: {
            ...xz.basic,
            subItem: '乡村规划区内的违法建设',
            handlingUnit: '西渚镇规划建设办公室',
            townshipDuty: '组织巡查',
            cooperating: [{ bodyName: '宜兴市应急管理局', duty: '配合查处' }],
            category: null,
            source: null,
          },
        },
      },
      removeItem: { token: editor, vars: { versionId: draft.id, itemCode: xz.recl.itemCode, expectedRevision: null } },
      submitForReview: { token: editor, vars: { versionId: draft.id } },
      approveVersion: { token: reviewer, vars: { versionId: inReview.id, opinion: '经合法性审查，同意。' } },
      rejectVersion: { token: reviewer, vars: { versionId: inReview.id, opinion: '请补充法律依据。' } },
      publishVersion: { token: editor, vars: { versionId: approved.id, effectiveFrom: '2031-01-01', approvalDocNumber: '宜政发〔2031〕1号' } },
      saveSynonym: { token: app.adminToken, vars: { term: '盖棚子', expansions: ['违法建设'] } },
      removeSynonym: { token: app.adminToken, vars: { term: '违建' } },
      updateUser: { token: app.adminToken, vars: { id: managed.id, role: 'REVIEWER', regionCode: COUNTY } },
      disableUser: { token: app.adminToken, vars: { id: managed.id } },
      enableUser: { token: app.adminToken, vars: { id: managed.id } },
      resetPassword: { token: app.adminToken, vars: { id: managed.id, newPassword: 'a-reset-password-1' } },
      changePassword: { token: self, vars: { currentPassword: 'hi-self-password-1', newPassword: 'hi-self-password-2' } },
      assignUserBody: { token: app.adminToken, vars: { userId: unlinked.id, bodyId: department.id } },
      submitTaskRequest: { token: app.adminToken, vars: { input: task } },
      decideTaskRequest: {
        token: reviewer,
        vars: { id: awaiting.id, decision: 'ADMITTED', reason: '同意', conditions: { resources: '民政局提供物资', staff: '社工1人', funds: '市级资金', timeLimit: '2027-01-31' } },
      },
    };
  });

  /** The mutation's document, declaring every argument as a variable. */
  function documentOf(name: string): string {
    const field = schema.getMutationType()!.getFields()[name];
    const defs = field.args.map((a) => `$${a.name}: ${a.type}`).join(', ');
    const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
    return `mutation${defs ? `(${defs})` : ''} { ${name}${args ? `(${args})` : ''} ${getNamedType(field.type).toString().match(/^(Boolean|String|Int|ID)$/) ? '' : '{ __typename }'} }`;
  }

  it('every mutation of the admin schema is in the table (a new mutation without a valid call is covered generically)', () => {
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    expect(mutations).toEqual(expect.arrayContaining(Object.keys(baselines)));
    const generic = mutations.filter((m) => !baselines[m]);
    if (generic.length) console.log(`mutations without a hand-made valid call, spoiled from a generic one: ${generic.join(', ')}`);
  });

  it('every input field of every mutation: oversized, invisible, invalid UTF-16, wrong types, missing, SQL and script → a clean error, no row changed', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const cases: (() => Promise<void>)[] = [];
    for (const [name, field] of Object.entries(schema.getMutationType()!.getFields())) {
      const generic = !baselines[name];
      const baseline = baselines[name] ?? {
        token: app.adminToken,
        vars: Object.fromEntries(field.args.map((a) => [a.name, genericValue(a.type)])),
      };
      const document = documentOf(name);
      const paths = field.args.flatMap((a) => leaves(a.type, a.name, baseline.vars[a.name]));
      let tenMegabytesDone = false;
      for (const [path, type] of paths) {
        const named = getNamedType(type);
        const text = isScalarType(named) && named.name === 'String';
        const tenMegabytes = text && !tenMegabytesDone;
        if (tenMegabytes) tenMegabytesDone = true;
        for (const [label, value] of badValues(type, path, tenMegabytes)) {
          cases.push(async () => {
            const what = `${name} ${path} ← ${label}`;
            const r: GraphQLResponse = await app.adminGql(document, withValue(baseline.vars, path, value), baseline.token);
            const code = r.errors?.[0]?.extensions?.code;
            const field = r.errors?.[0]?.extensions?.field;
            const expectedField = path.replace(/^input\./, '');
            if (r.status >= 500 || !code || !CLEAN_CODES.has(code)) failures.push(`${what}: HTTP ${r.status} ${code} ${r.errors?.[0]?.message?.slice(0, 120)}`);
            else if (r.data?.[name] !== undefined && r.data?.[name] !== null) failures.push(`${what}: answered data`);
            else if (!generic && code === 'BAD_USER_INPUT' && typeof field === 'string' && !blames(field, expectedField)) failures.push(`${what}: blamed ${field}`);
            else if (TRACES.test(JSON.stringify(r.errors))) failures.push(`${what}: a stack or path in the answer`);
          });
        }
      }
    }
    // a few at a time: what one request parses, the next one's database work overlaps
    const queue = [...cases];
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next();
    }));
    console.log(`[${app.engine}] ${cases.length} bad-input cases over ${Object.keys(schema.getMutationType()!.getFields()).length} mutations`);
    const after = await snapshot();
    expect(failures).toEqual([]);
    expect(after).toEqual(before);
    expect(cases.length).toBeGreaterThan(300);
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
  }, 300_000);

  it('in development, /graphql answers introspection and suggests fields ("did you mean"); /admin/graphql still wants a login for introspection', async () => {
    const intro = await app.publicGql('{ __schema { queryType { name } } }');
    expect(intro.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const typo = await app.publicGql('{ regoins { code } }');
    expect(typo.errors?.[0].message).toMatch(/Did you mean "region/);
    const anonymous = await app.adminGql('{ __schema { queryType { name } } }', {}, null);
    expect({ status: anonymous.status, code: anonymous.errors?.[0].extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('the baselines are valid calls: each spoiled case above was refused for its one bad leaf', async () => {
    // the same calls unspoiled succeed (in an order that keeps the next ones valid)
    const run = async (name: string) => {
      const b = baselines[name];
      const r = await app.adminGql(documentOf(name), b.vars, b.token);
      expect({ name, errors: r.errors }).toEqual({ name, errors: undefined });
    };
    for (const name of ['login', 'createUser', 'createBody', 'renameBody', 'createDraft', 'saveItem', 'removeItem', 'submitForReview', 'rejectVersion', 'publishVersion', 'saveSynonym', 'removeSynonym',
      'updateUser', 'disableUser', 'enableUser', 'resetPassword', 'changePassword'])
      await run(name);
    // approveVersion's version was just rejected: submit it again, then approve
    const inReview = baselines.approveVersion.vars.versionId as string;
    ok(await api.submit(editor, inReview), 'submitForReview');
    await run('approveVersion');
  });
});

describe('a mutation that fails halfway leaves nothing; an unexpected failure is INTERNAL_SERVER_ERROR with a logged correlation id', () => {
  let api: ReturnType<typeof listApi>;
  let editor: string;
  let reviewer: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    api = listApi(app);
    editor = await app.createUser('hf-editor', 'EDITOR', COUNTY);
    reviewer = await app.createUser('hf-reviewer', 'REVIEWER', COUNTY);
  });

  /** Runs `work` while the database refuses audit events of `action` (a CHECK added for the test): a failure after the change's own writes. */
  async function withForcedFailure<T>(action: string, work: () => Promise<T>): Promise<T> {
    await app.dataSource.query(`ALTER TABLE audit_event ADD CONSTRAINT hardening_forced_failure CHECK (action <> '${action}') NOT VALID`);
    const dbLogger = app.dataSource.logger;
    const ownQueryError = Object.prototype.hasOwnProperty.call(dbLogger, 'logQueryError');
    const originalQueryError = dbLogger.logQueryError;
    dbLogger.logQueryError = () => undefined; // the refusal is expected: not printed
    const capture = (message: unknown, ...rest: unknown[]) => void logLines.push([message, ...rest].map(String).join(' '));
    Logger.overrideLogger({ log: () => undefined, warn: () => undefined, debug: () => undefined, verbose: () => undefined, fatal: capture, error: capture });
    try {
      return await work();
    } finally {
      Logger.overrideLogger(false);
      if (ownQueryError) dbLogger.logQueryError = originalQueryError;
      else delete (dbLogger as { logQueryError?: unknown }).logQueryError;
      await app.dataSource.query('ALTER TABLE audit_event DROP CONSTRAINT hardening_forced_failure');
    }
  }

  /** The rows of a list, its versions and the audit trail's head: what must not move. */
  async function stateOf(regionCode: string) {
    const [row] = await app.dataSource.query(
      `SELECT (SELECT coalesce(max(seq), 0) FROM audit_event)::int AS audit_head,
        (SELECT md5(coalesce(string_agg(v::text, ',' ORDER BY v.id), '')) FROM list_version v WHERE v.region_code = $1) AS versions,
        (SELECT md5(coalesce(string_agg(i::text, ',' ORDER BY i.id), '')) FROM list_item i WHERE i.region_code = $1) AS items,
        (SELECT count(*)::int FROM item_citation c JOIN list_item i ON i.id = c.item_id WHERE i.region_code = $1) AS citations,
        (SELECT count(*)::int FROM item_citation c WHERE NOT EXISTS (SELECT 1 FROM list_item i WHERE i.id = c.item_id)) AS orphan_citations,
        (SELECT count(*)::int FROM duty_list l WHERE l.region_code = $1) AS lists`,
      [regionCode],
    );
    return row;
  }

  /** An INTERNAL_SERVER_ERROR that says nothing of the inside, whose correlation id is in a log line with the cause. */
  function expectCorrelatedFailure(r: GraphQLResponse, key: string) {
    expect(r.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(r.data?.[key] ?? null).toBeNull();
    const id = r.errors![0].extensions!.correlationId as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.errors![0].message).toContain(id);
    expect(JSON.stringify(r.errors)).not.toMatch(LEAKS);
    const line = logLines.find((l) => l.includes(id));
    expect(line).toBeDefined();
    expect(line).toMatch(/hardening_forced_failure/); // the log has the cause the client does not
    return id;
  }

  it('publishVersion failing at its last write (after superseding v1 and closing rows) leaves v1 in force, v2 approved, the rows and the audit trail as they were', async () => {
    const xs = townshipItems('320282103', '徐舍镇人民政府');
    const draft = ok(await api.createDraft(editor, TOWN_B, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.saveItem(editor, draft.id, { ...xs.recl, itemCode: '320282-103-SH-001', name: '非煤矿山安全生产监督管理（调整）' }), 'saveItem');
    ok(await api.removeItem(editor, draft.id, '320282-103-SH-004'), 'removeItem');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    ok(await api.approve(reviewer, draft.id, '同意'), 'approveVersion');
    const before = await stateOf(TOWN_B);

    const r = await withForcedFailure('publishVersion', () => api.publish(editor, draft.id, '2031-01-01', '宜政发〔2031〕8号'));
    expectCorrelatedFailure(r, 'publishVersion');
    expect(await stateOf(TOWN_B)).toEqual(before);
    const versions = ok(await api.versions(TOWN_B, 'RESPONSIBILITY', editor), 'listVersions');
    expect(versions.map((v: any) => [v.number, v.status, v.effectiveTo])).toEqual([[2, 'APPROVED', null], [1, 'PUBLISHED', null]]);

    // nothing is wedged: the same publication goes through once the database accepts it
    expect(ok(await api.publish(editor, draft.id, '2031-01-01', '宜政发〔2031〕8号'), 'publishVersion').status).toBe('PUBLISHED');
    const after = await stateOf(TOWN_B);
    expect(after.audit_head).toBeGreaterThanOrEqual(before.audit_head + 2); // supersede and publish
  });

  it('saveItem failing after writing the item and its citations leaves no item row, no orphan citation, the same revision', async () => {
    const draft = ok(await api.createDraft(editor, TOWN_A, 'POWER'), 'createDraft');
    const before = await stateOf(TOWN_A);
    const item = { itemCode: '320282-100-CF-099', name: '对违法建设的行政处罚', category: 'PENALTY', source: 'DELEGATED', accountableBodyName: '张渚镇人民政府', legalBasis: '《中华人民共和国城乡规划法》第六十五条' };
    const r = await withForcedFailure('saveItem', () => api.saveItem(editor, draft.id, item));
    expectCorrelatedFailure(r, 'saveItem');
    expect(await stateOf(TOWN_A)).toEqual(before);
    expect(before.orphan_citations).toBe(0);
    expect(ok(await api.version(draft.id, editor), 'listVersion').revision).toBe(draft.revision);
  });

  it('createDraft failing at its audit event leaves no version and no list', async () => {
    const before = await stateOf('320282005000'); // 芳桥街道: no list
    const r = await withForcedFailure('createDraft', () => api.createDraft(editor, '320282005', 'RESPONSIBILITY'));
    expectCorrelatedFailure(r, 'createDraft');
    expect(await stateOf('320282005000')).toEqual(before);
    expect(before.lists).toBe(0);
  });
});

/** A value of the right type for a mutation without a hand-made call (the spoiled leaf is what is tested). */
function genericValue(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) return [genericValue(nullable.ofType as GraphQLInputType)];
  if (isInputObjectType(nullable)) return Object.fromEntries(Object.values(nullable.getFields()).map((f) => [f.name, genericValue(f.type)]));
  if (isEnumType(nullable)) return nullable.getValues()[0].value ?? nullable.getValues()[0].name;
  const named = nullable as { name: string };
  if (named.name === 'Int') return 1;
  if (named.name === 'Boolean') return false;
  if (named.name === 'Date') return '2030-01-01';
  return 'x';
}

