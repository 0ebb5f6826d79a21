import { codeOf, type GraphQLResponse, type TestApp } from './test-app.js';

/**
 * GraphQL helpers for the list e2e suites: the operations of the API contract spoken
 * over HTTP like any client, and small assertions on answers and on SQL refusals.
 */
export const VERSION_FIELDS = `id number status kind effectiveFrom effectiveTo approvalDocNumber reviewOpinion changeReason
  revision submittedBy approvedBy publishedBy basedOn { id number } region { code name }`;
export const ITEM_FIELDS = `id itemCode name description section category source townshipRole townshipDuty villageDuty
  accountableBody { name level } cooperating { body { name } duty } citations { raw label instrumentTitle article paragraph item text resolved }
  stagedDuties accountabilityCircumstances exemptions keywords`;

export const COUNTY = '320282';
/** Demo towns with published lists (seeded in the template). */
export const TOWN_A = '320282100000'; // 张渚镇: POWER v1, RESPONSIBILITY v1 (2025-01-01) and v2 (2026-07-01)
export const TOWN_B = '320282103000'; // 徐舍镇: RESPONSIBILITY v1

/** The data of a successful answer, or a failure that shows the errors. */
export function ok<T = any>(r: GraphQLResponse, key: string): T {
  if (r.errors?.length || !r.data) throw new Error(`${key} failed (${r.status}): ${JSON.stringify(r.errors)}`);
  return r.data[key];
}

/** The first error's code and field, for `toEqual` assertions that read well in failures. */
export const errorOf = (r: GraphQLResponse) => ({ code: codeOf(r), field: r.errors?.[0]?.extensions?.field });

/** Runs SQL that must be refused by the database; answers the SQLSTATE and constraint. */
export async function sqlRefusal(app: TestApp, sql: string, params: unknown[] = []): Promise<{ code?: string; constraint?: string; message: string }> {
  // The refusal is expected: keep TypeORM from printing it as a failed query.
  const logger = app.dataSource.logger;
  const own = Object.prototype.hasOwnProperty.call(logger, 'logQueryError');
  const original = logger.logQueryError;
  logger.logQueryError = () => undefined;
  try {
    await app.dataSource.query(sql, params);
  } catch (e) {
    const err = e as { code?: string; constraint?: string; message: string; driverError?: { code?: string; constraint?: string } };
    return { code: err.driverError?.code ?? err.code, constraint: err.driverError?.constraint ?? err.constraint, message: err.message };
  } finally {
    if (own) logger.logQueryError = original;
    else delete (logger as { logQueryError?: unknown }).logQueryError;
  }
  throw new Error(`the database accepted: ${sql} ${JSON.stringify(params)}`);
}

/** Today in China (UTC+8), as the server computes it; and calendar arithmetic on ISO dates. */
export const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export type Kind = 'POWER' | 'RESPONSIBILITY';
export interface ItemInput {
  itemCode: string;
  name: string;
  accountableBodyName: string;
  [field: string]: unknown;
}

export function listApi(app: TestApp) {
  const api = {
    createBody: (name: string, regionCode: string, kind = '人民政府') =>
      app.adminGql('mutation($n:String!,$k:String!,$r:String!){ createBody(name:$n, kind:$k, regionCode:$r){ id name level } }', { n: name, k: kind, r: regionCode }),
    createDraft: (token: string, regionCode: string, kind: Kind, changeReason: string | null = '其他') =>
      app.adminGql(`mutation($r:String!,$k:ListKind!,$c:String){ createDraft(regionCode:$r, kind:$k, changeReason:$c){ ${VERSION_FIELDS} } }`, { r: regionCode, k: kind, c: changeReason }, token),
    saveItem: (token: string, versionId: string, input: ItemInput | Record<string, unknown>, expectedRevision?: number) =>
      app.adminGql(`mutation($v:ID!,$i:ListItemInput!,$e:Int){ saveItem(versionId:$v, input:$i, expectedRevision:$e){ ${ITEM_FIELDS} } }`, { v: versionId, i: input, e: expectedRevision ?? null }, token),
    removeItem: (token: string, versionId: string, itemCode: string) =>
      app.adminGql('mutation($v:ID!,$c:String!){ removeItem(versionId:$v, itemCode:$c) }', { v: versionId, c: itemCode }, token),
    submit: (token: string, versionId: string) =>
      app.adminGql(`mutation($v:ID!){ submitForReview(versionId:$v){ ${VERSION_FIELDS} } }`, { v: versionId }, token),
    approve: (token: string, versionId: string, opinion: string | null = null) =>
      app.adminGql(`mutation($v:ID!,$o:String){ approveVersion(versionId:$v, opinion:$o){ ${VERSION_FIELDS} } }`, { v: versionId, o: opinion }, token),
    reject: (token: string, versionId: string, opinion: string) =>
      app.adminGql(`mutation($v:ID!,$o:String!){ rejectVersion(versionId:$v, opinion:$o){ ${VERSION_FIELDS} } }`, { v: versionId, o: opinion }, token),
    publish: (token: string, versionId: string, effectiveFrom: string, approvalDocNumber: string) =>
      app.adminGql(`mutation($v:ID!,$f:Date!,$d:String!){ publishVersion(versionId:$v, effectiveFrom:$f, approvalDocNumber:$d){ ${VERSION_FIELDS} } }`, { v: versionId, f: effectiveFrom, d: approvalDocNumber }, token),

    /**
     * Records a reason for every blocking gate finding of a draft without one (as a clerk would before
     * submitting a list whose content is not what the test is about); answers the item codes.
     */
    async recordReasons(token: string, versionId: string, reason = '已人工核对（测试数据）'): Promise<string[]> {
      const v = ok(await app.adminGql('query($id:ID!){ listVersion(id:$id){ gateFindings { itemCode blocking exceptionReason } } }', { id: versionId }, token), 'listVersion');
      const codes = [...new Set((v.gateFindings as { itemCode: string; blocking: boolean; exceptionReason: string | null }[]).filter((f) => f.blocking && !f.exceptionReason).map((f) => f.itemCode))];
      for (const c of codes)
        ok(await app.adminGql('mutation($v:ID!,$c:String!,$r:String!){ recordGateException(versionId:$v, itemCode:$c, reason:$r){ id } }', { v: versionId, c, r: reason }, token), 'recordGateException');
      return codes;
    },

    /** A version by id: on /admin/graphql with a token, on /graphql without one. */
    version: (id: string, token?: string) => {
      const q = `query($id:ID!){ listVersion(id:$id){ ${VERSION_FIELDS} } }`;
      return token ? app.adminGql(q, { id }, token) : app.publicGql(q, { id });
    },
    versions: (regionCode: string, kind: Kind, token?: string) => {
      const q = `query($r:String!,$k:ListKind!){ listVersions(regionCode:$r, kind:$k){ ${VERSION_FIELDS} } }`;
      return token ? app.adminGql(q, { r: regionCode, k: kind }, token) : app.publicGql(q, { r: regionCode, k: kind });
    },
    inForce: (regionCode: string, kind: Kind, asOf?: string | null, token?: string) => {
      const q = `query($r:String!,$k:ListKind!,$d:Date){ listVersionInForce(regionCode:$r, kind:$k, asOf:$d){ ${VERSION_FIELDS} } }`;
      const vars = asOf === undefined ? { r: regionCode, k: kind } : { r: regionCode, k: kind, d: asOf };
      return token ? app.adminGql(q, vars, token) : app.publicGql(q, vars);
    },
    /** One page of a version's items with the connection's bookkeeping. */
    items: (id: string, args: { first?: number; after?: string | null; section?: string; category?: string } = {}, token?: string, fields = 'itemCode name section category townshipRole') => {
      const q = `query($id:ID!,$first:Int,$after:String,$section:ListSection,$category:PowerCategory){ listVersion(id:$id){ id
        items(first:$first, after:$after, section:$section, category:$category){ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${fields} } } } } }`;
      const vars = { id, first: args.first ?? null, after: args.after ?? null, section: args.section ?? null, category: args.category ?? null };
      return token ? app.adminGql(q, vars, token) : app.publicGql(q, vars);
    },
    diff: (fromId: string, toId: string, token?: string) => {
      const q = `query($a:ID!,$b:ID!){ versionDiff(fromVersionId:$a, toVersionId:$b){ from { id number } to { id number }
        changes { itemCode name change fields { field before after } } } }`;
      return token ? app.adminGql(q, { a: fromId, b: toId }, token) : app.publicGql(q, { a: fromId, b: toId });
    },

    /** Item codes of a version (all of them: one page of up to 1000 on /admin/graphql, 100 on /graphql). */
    async itemCodes(id: string, token?: string): Promise<string[]> {
      const conn = ok(await api.items(id, { first: token ? 1000 : 100 }, token), 'listVersion').items;
      return conn.edges.map((e: { node: { itemCode: string } }) => e.node.itemCode);
    },

    /** A new version with exactly these saved items (on top of the copy of the one in force), reviewed and published. */
    async publishWith(
      who: { editor: string; reviewer: string },
      regionCode: string,
      kind: Kind,
      items: ItemInput[],
      effectiveFrom: string,
      approvalDocNumber: string,
      remove: string[] = [],
    ) {
      const draft = ok(await api.createDraft(who.editor, regionCode, kind), 'createDraft');
      for (const item of items) ok(await api.saveItem(who.editor, draft.id, item), 'saveItem');
      for (const code of remove) ok(await api.removeItem(who.editor, draft.id, code), 'removeItem');
      ok(await api.submit(who.editor, draft.id), 'submitForReview');
      ok(await api.approve(who.reviewer, draft.id, '经合法性审查，同意。'), 'approveVersion');
      return ok(await api.publish(who.editor, draft.id, effectiveFrom, approvalDocNumber), 'publishVersion');
    },
  };
  return api;
}

/** Items of a township's responsibility list: its own duty, a cooperative and a reclaimed one. */
export function townshipItems(township9: string, gov: string) {
  const code = (n: string) => `${COUNTY}-${township9.slice(6, 9)}-${n}`;
  return {
    code,
    basic: {
      itemCode: code('JB-001'),
      name: '乡村违法建设查处',
      section: 'BASIC',
      accountableBodyName: gov,
      description: '对乡村规划区内未取得乡村建设规划许可证的建设责令停止建设、限期改正',
      legalBasis: '《中华人民共和国城乡规划法》第六十五条',
      villageDuty: '发现后劝阻并报告',
      stagedDuties: ['1.巡查责任：组织日常巡查', '2.处置责任：依法责令停止建设'],
      accountabilityCircumstances: ['发现违法建设不制止、不报告的'],
      exemptions: ['已依法履行巡查、报告职责的'],
      keywords: ['违建', '乱搭乱建'],
    },
    coop: {
      itemCode: code('PH-001'),
      name: '农药使用指导服务',
      section: 'COOPERATIVE',
      accountableBodyName: '宜兴市农业农村局',
      townshipDuty: '组织宣传农药安全使用知识，发现问题及时报告',
      cooperating: [{ bodyName: '宜兴市应急管理局', duty: '负责农药经营单位的安全生产监督' }],
      legalBasis: '《农药管理条例》第三十二条第五款',
      keywords: ['农药'],
    },
    recl: {
      itemCode: code('SH-001'),
      name: '非煤矿山安全生产监督管理',
      section: 'RECLAIMED',
      accountableBodyName: '宜兴市应急管理局',
      townshipDuty: '不承担',
      // An instrument without an article: it resolves, so the item passes the gates of submitForReview.
      legalBasis: '《中华人民共和国矿山安全法》',
      keywords: ['矿山'],
    },
  };
}
