import { VERSION_FIELDS } from './lists-api.js';
import type { GraphQLResponse, TestApp } from './test-app.js';

/**
 * Helpers for the trust suites: the admin operations spoken with any token (or none),
 * the users of the permission matrix, and a fingerprint of every table a mutation may change,
 * to show that a refused call changed nothing.
 */

export const YIXING = '320282'; // 宜兴市: demo bodies and lists
export const JIANGYIN = '320281'; // 江阴市: regions only, until a test adds a body
export const ZHANGZHU = '320282100'; // 张渚镇: published POWER v1, RESPONSIBILITY v1 and v2
export const XIZHU = '320282101'; // 西渚镇: no demo list
export const YIXING_BODY = '宜兴市农业农村局';
export const JIANGYIN_BODY = '江阴市农业农村局';

export type Kind = 'POWER' | 'RESPONSIBILITY';
export type Token = string | null;

/**
 * A valid item for a list of either kind, accountable to a county department (no township body
 * needed), citing a law of the demo catalogue, so that it passes the gates of submitForReview.
 */
export function item(kind: Kind, itemCode: string, countyBody: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const common = { itemCode, name: `测试事项${itemCode}`, accountableBodyName: countyBody, legalBasis: '《中华人民共和国城乡规划法》', ...extra };
  return kind === 'RESPONSIBILITY'
    ? { section: 'COOPERATIVE', townshipDuty: '配合上级部门开展相关工作，发现问题及时报告', ...common }
    : { category: 'INSPECTION', source: 'ENTRUSTED', ...common };
}

const Q = {
  createDraft: `mutation($r:String!,$k:ListKind!,$c:String){ createDraft(regionCode:$r, kind:$k, changeReason:$c){ ${VERSION_FIELDS} } }`,
  saveItem: 'mutation($v:ID!,$i:ListItemInput!,$e:Int){ saveItem(versionId:$v, input:$i, expectedRevision:$e){ id itemCode name } }',
  removeItem: 'mutation($v:ID!,$c:String!,$e:Int){ removeItem(versionId:$v, itemCode:$c, expectedRevision:$e) }',
  submitForReview: `mutation($v:ID!){ submitForReview(versionId:$v){ ${VERSION_FIELDS} } }`,
  approveVersion: `mutation($v:ID!,$o:String){ approveVersion(versionId:$v, opinion:$o){ ${VERSION_FIELDS} } }`,
  rejectVersion: `mutation($v:ID!,$o:String!){ rejectVersion(versionId:$v, opinion:$o){ ${VERSION_FIELDS} } }`,
  publishVersion: `mutation($v:ID!,$f:Date!,$d:String!){ publishVersion(versionId:$v, effectiveFrom:$f, approvalDocNumber:$d){ ${VERSION_FIELDS} } }`,
  createBody: 'mutation($n:String!,$k:String!,$r:String!){ createBody(name:$n, kind:$k, regionCode:$r){ id name level } }',
  renameBody: 'mutation($id:ID!,$n:String!){ renameBody(id:$id, name:$n){ id name } }',
  createUser: 'mutation($i:UserInput!){ createUser(input:$i){ id username role regionCode } }',
  updateUser: 'mutation($id:ID!,$r:Role!,$g:String){ updateUser(id:$id, role:$r, regionCode:$g){ id role regionCode disabled } }',
  disableUser: 'mutation($id:ID!){ disableUser(id:$id){ id disabled } }',
  enableUser: 'mutation($id:ID!){ enableUser(id:$id){ id disabled } }',
  resetPassword: 'mutation($id:ID!,$p:String!){ resetPassword(id:$id, newPassword:$p){ id } }',
  saveSynonym: 'mutation($t:String!,$e:[String!]!){ saveSynonym(term:$t, expansions:$e){ term expansions } }',
  removeSynonym: 'mutation($t:String!){ removeSynonym(term:$t) }',
  synonyms: '{ synonyms { term expansions } }',
  auditTrail: 'query($t:String!,$id:ID!){ auditTrail(entityType:$t, entityId:$id){ seq actor role action entityType entityId before after prevHash hash } }',
  listVersion: `query($id:ID!){ listVersion(id:$id){ ${VERSION_FIELDS} } }`,
};

/** The admin operations with an explicit token (null: no Authorization header). */
export function trustApi(app: TestApp) {
  const admin = (q: string, vars: Record<string, unknown>, token: Token) => app.adminGql(q, vars, token);
  return {
    createDraft: (t: Token, regionCode: string, kind: Kind, changeReason: string | null = '其他') => admin(Q.createDraft, { r: regionCode, k: kind, c: changeReason }, t),
    saveItem: (t: Token, versionId: string, input: Record<string, unknown>, expectedRevision: number | null = null) =>
      admin(Q.saveItem, { v: versionId, i: input, e: expectedRevision }, t),
    removeItem: (t: Token, versionId: string, itemCode: string, expectedRevision: number | null = null) =>
      admin(Q.removeItem, { v: versionId, c: itemCode, e: expectedRevision }, t),
    submit: (t: Token, versionId: string) => admin(Q.submitForReview, { v: versionId }, t),
    approve: (t: Token, versionId: string, opinion: string | null = '经合法性审查，同意。') => admin(Q.approveVersion, { v: versionId, o: opinion }, t),
    reject: (t: Token, versionId: string, opinion = '请补充法律依据后重新提交') => admin(Q.rejectVersion, { v: versionId, o: opinion }, t),
    publish: (t: Token, versionId: string, effectiveFrom: string, approvalDocNumber = '测政发〔2026〕1号') =>
      admin(Q.publishVersion, { v: versionId, f: effectiveFrom, d: approvalDocNumber }, t),
    createBody: (t: Token, name: string, regionCode: string, kind = '政府部门') => admin(Q.createBody, { n: name, k: kind, r: regionCode }, t),
    renameBody: (t: Token, id: string, name: string) => admin(Q.renameBody, { id, n: name }, t),
    createUser: (t: Token, input: { username: string; role: string; regionCode?: string | null; password?: string }) =>
      admin(Q.createUser, { i: { password: `${input.username}-password-1`, ...input } }, t),
    updateUser: (t: Token, id: string, role: string, regionCode: string | null) => admin(Q.updateUser, { id, r: role, g: regionCode }, t),
    disableUser: (t: Token, id: string) => admin(Q.disableUser, { id }, t),
    enableUser: (t: Token, id: string) => admin(Q.enableUser, { id }, t),
    resetPassword: (t: Token, id: string, newPassword: string) => admin(Q.resetPassword, { id, p: newPassword }, t),
    saveSynonym: (t: Token, term: string, expansions: string[]) => admin(Q.saveSynonym, { t: term, e: expansions }, t),
    removeSynonym: (t: Token, term: string) => admin(Q.removeSynonym, { t: term }, t),
    synonyms: (t: Token) => admin(Q.synonyms, {}, t),
    auditTrail: (t: Token, entityType: string, entityId: string) => admin(Q.auditTrail, { t: entityType, id: entityId }, t),
    /** A version by id, on /admin/graphql with the token (null: no token), or on /graphql when `token` is 'public'. */
    version: (t: Token | 'public', id: string, fields = VERSION_FIELDS) => {
      const q = `query($id:ID!){ listVersion(id:$id){ ${fields} } }`;
      return t === 'public' ? app.publicGql(q, { id }) : admin(q, { id }, t);
    },
    /** Any query, on /graphql ('public') or /admin/graphql with the token. */
    read: (t: Token | 'public', q: string, vars: Record<string, unknown> = {}) => (t === 'public' ? app.publicGql(q, vars) : admin(q, vars, t)),
  };
}

/** The data of a successful answer, or a failure that shows the errors. */
export function ok<T = any>(r: GraphQLResponse, key: string): T {
  if (r.errors?.length || !r.data) throw new Error(`${key} failed (${r.status}): ${JSON.stringify(r.errors)}`);
  return r.data[key];
}

/** What a call came to: 'ok', or the code of its first error. */
export const outcome = (r: GraphQLResponse): string => (r.errors?.length ? String(r.errors[0].extensions?.code ?? `HTTP ${r.status}`) : 'ok');

/** Every table an admin operation may change. */
const TABLES = ['list_version', 'list_item', 'item_citation', 'duty_list', 'body', 'app_user', 'search_synonym', 'audit_event'] as const;

/**
 * Row count and a digest of every row of those tables: equal fingerprints mean nothing was
 * added, changed or removed anywhere (not just "the same number of rows").
 */
export async function fingerprint(app: TestApp): Promise<Record<string, string>> {
  const sql = TABLES.map(
    (t) => `SELECT '${t}' AS t, count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`,
  ).join(' UNION ALL ');
  const rows: { t: string; n: number; h: string }[] = await app.dataSource.query(sql);
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n} rows ${r.h}`]));
}

export async function auditCount(app: TestApp): Promise<number> {
  const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM audit_event');
  return n;
}

export async function lastSeq(app: TestApp): Promise<number> {
  const [{ seq }] = await app.dataSource.query('SELECT coalesce(max(seq), 0)::int AS seq FROM audit_event');
  return seq;
}

export interface AuditRow {
  seq: number;
  actor: string;
  actor_role: string | null;
  actor_region: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  region_code: string | null;
  before: any;
  after: any;
}

/** The audit events written after `seq`, oldest first. */
export async function eventsAfter(app: TestApp, seq: number): Promise<AuditRow[]> {
  const rows = await app.dataSource.query(
    `SELECT seq::int AS seq, actor, actor_role, actor_region, action, entity_type, entity_id, region_code, before, after
     FROM audit_event WHERE seq > $1 ORDER BY seq`,
    [seq],
  );
  return rows;
}

/** The current revision of a version, read in SQL (what a client would have just read). */
export async function revisionOf(app: TestApp, versionId: string): Promise<number> {
  const [row] = await app.dataSource.query('SELECT revision FROM list_version WHERE id = $1', [versionId]);
  return row.revision;
}

/** Creates the users (as the test admin) and logs each in: username → token. */
export async function createUsers<K extends string>(app: TestApp, users: Record<K, [role: string, region: string]>, prefix: string): Promise<Record<K, string>> {
  const tokens = {} as Record<K, string>;
  for (const [key, [role, region]] of Object.entries(users) as [K, [string, string]][]) tokens[key] = await app.createUser(usernameOf(prefix, key), role, region);
  return tokens;
}

/** tp + editorYx → tp-editor-yx */
export const usernameOf = (prefix: string, key: string) => `${prefix}-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
