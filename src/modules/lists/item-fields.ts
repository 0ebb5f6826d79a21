import { checkText, hasInvalidCharacters, normalizeName, type TextKind, type TextRules } from '../../common/text-input.js';
import type { BodyEntity } from '../bodies/body.entity.js';
import type { ListKind } from './duty-list.entity.js';
import { LIST_SECTIONS, POWER_CATEGORIES, POWER_SOURCES, WORK_MODES, type ListSection, type StoredCooperation, type TownshipRole } from './list-item.entity.js';

/**
 * The fields of a list item (事项), each described once: its column, its GraphQL field and input,
 * its Chinese label, its sheet columns (headers and aliases per list kind and section, export
 * order, cell format), its name in `versionDiff`, and its search weight. Everything that handles
 * an item's content is derived from this list: the column lists and row mapping (item.repository.ts),
 * the "unchanged item" comparison, the diff, the validation of inputs (list-item.preparer.ts), the
 * spreadsheet reader and writer (list-sheet.ts) and the search document
 * (accountability/item-search-document.ts). The GraphQL classes (list.model.ts) and the entity
 * stay classes; the compiler checks their property types against this list (below) and
 * test/e2e/schema.e2e.spec.ts their GraphQL fields. docs/adding-an-item-field.md walks through an addition.
 */

export type SearchWeight = 'A' | 'B' | 'C' | 'D';

/** A column's standard header and the other names real lists give it (compared after normalizeHeader). */
export interface SheetHeaders {
  header: string;
  aliases?: readonly string[];
}

export interface SheetColumn extends SheetHeaders {
  /** Place in exported sheets (ascending); also the order of the standard headers. */
  order: number;
  /** Column width in an exported .xlsx, in characters (a CJK character counts about two). */
  width: number;
  /** Other headers in a list of this kind (事项类别 is the power category of a power list). */
  byKind?: Partial<Record<ListKind, SheetHeaders>>;
  /** Other headers on a sheet of one section (配合履职事项: 牵头部门, 乡镇配合职责…). */
  bySection?: Partial<Record<ListSection, SheetHeaders>>;
}

/** Body names by id, for the fields that store a body and show its name (diff, sheets). */
export type BodyNames = ReadonlyMap<string, string>;

/** What validating one field of one input knows: the bodies resolved in batch, where to report. */
export interface PrepareContext {
  bodies: ReadonlyMap<string, BodyEntity>;
  /** The closest known bodies of the county for names it does not know (keyed by normalizeName). */
  suggestions?: ReadonlyMap<string, readonly string[]>;
  /** Bodies resolved so far, by field key (the accountable body for the cooperating bodies' check). */
  resolvedBodies: Map<string, BodyEntity>;
  fail(field: string, message: string): void;
}

/** The citations of an item as search and diff read them. */
export interface ItemCitations {
  /** `text`: the cited provision's text, where the catalogue has it (searched with the label). */
  citations: readonly { raw: string; label: string; resolved: boolean; instrumentTitle: string | null; text?: string | null }[];
}

/** How one field's value is stored, compared, described, searched, written to and read from a sheet cell, and validated. */
export interface FieldCodec<S, I> {
  /** Type of the column in `jsonb_to_recordset` (the write statement). */
  sqlType: 'text' | 'text[]' | 'jsonb' | 'uuid';
  graphqlType: string;
  inputType: string | null;
  /** Every item must have it (its column must be in a sheet of the kinds it belongs to). */
  required?: boolean;
  /** A choice's Chinese labels by value. */
  labels?: Readonly<Record<string, string>>;
  fromRow(raw: unknown): S;
  same(a: S, b: S): boolean;
  /** The value as `versionDiff` shows it (null: empty). */
  describe(value: S, names: BodyNames, item: ItemCitations): string | null;
  /** Texts the search document segments for this field. */
  searchTexts(value: S, item: ItemCitations): readonly string[];
  /** Texts also indexed whole, as single lexemes (curated phrases). */
  wholePhrases?(value: S): readonly string[];
  /** The stored value as an input gives it (bodies by name). */
  toInput(value: S, names: BodyNames): I;
  toCell(value: I | null | undefined): string;
  /** A trimmed cell as an input value. */
  fromCell(cell: string): I;
  /** Names of catalogue bodies an input value refers to, looked up for a whole batch at once. */
  bodyNames?(value: unknown): string[];
  /** Ids of the catalogue bodies a stored value refers to (shown by name in diffs and sheets). */
  bodyIds?(value: S): string[];
  /** The checked value to store, or undefined after reporting a problem through `ctx.fail`. */
  prepare(value: unknown, field: ItemField, ctx: PrepareContext): S | undefined;
}

export interface ItemField<K extends string = string, S = unknown, I = unknown, IK extends string = string> {
  /** Property of the stored item (ListItemModel, PreparedItem). */
  key: K;
  /** Property of the input (ListItemInput) and of a sheet row; null: derived, never given. */
  inputKey: IK | null;
  column: string;
  /** In Chinese, for pages and the diff. */
  label: string;
  /** Field name in `versionDiff` (FieldChange.field); null: not compared field by field (the item code is the identity). */
  diff: string | null;
  /** Whether a change to it alone makes a draft's item differ from the one in force. */
  compared: boolean;
  weight: SearchWeight | null;
  /** Field name on the GraphQL `ListItem` type. */
  graphqlField: string;
  /** List kinds and sections the field belongs to (sheets, pages); absent: all. */
  kinds: readonly ListKind[] | null;
  sections: readonly ListSection[] | null;
  /** Required where it belongs: the message when missing (a field that is always required says 不能为空 itself). */
  requiredMessage: string | null;
  /** Refused where it does not belong, with this message; null: accepted anywhere. */
  elsewhereMessage: string | null;
  sheet: SheetColumn | null;
  codec: FieldCodec<S, I>;
}

interface FieldOptions<IK extends string> {
  label: string;
  input?: IK | null;
  column?: string;
  diff?: string | null;
  weight?: SearchWeight;
  graphql?: string;
  kinds?: readonly ListKind[];
  sections?: readonly ListSection[];
  requiredMessage?: string;
  elsewhereMessage?: string;
  sheet?: SheetColumn;
}

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

function field<K extends string, S, I, IK extends string = K>(key: K, codec: FieldCodec<S, I>, o: FieldOptions<IK>): ItemField<K, S, I, IK> {
  return {
    key,
    inputKey: o.input === undefined ? (key as unknown as IK) : o.input,
    column: o.column ?? snake(key),
    label: o.label,
    diff: o.diff === undefined ? key : o.diff,
    compared: o.diff !== null,
    weight: o.weight ?? null,
    graphqlField: o.graphql ?? key,
    kinds: o.kinds ?? null,
    sections: o.sections ?? null,
    requiredMessage: o.requiredMessage ?? null,
    elsewhereMessage: o.elsewhereMessage ?? null,
    sheet: o.sheet ?? null,
    codec,
  };
}

// ---------------------------------------------------------------- validation of texts

/** A text checked (common/text-input.ts: lengths, invisible characters, markup, SQL), trimmed, null when empty; undefined after reporting its problem. */
function checkedText(name: string, value: unknown, rules: TextRules, fail: PrepareContext['fail']): string | null | undefined {
  const checked = checkText(value, rules);
  if (!checked.ok) return fail(name, checked.problem), undefined;
  return checked.value;
}

export const ITEM_LIMITS = { line: 200, text: 5000, listElements: 100, element: 2000, bodyName: 100, itemCode: 64 };

// ---------------------------------------------------------------- codecs

/** Free text: one line (names) or several (descriptions, duties). */
function text(kind: TextKind, o: { max?: number; required: true }): FieldCodec<string, string>;
function text(kind: TextKind, o?: { max?: number }): FieldCodec<string | null, string | null>;
function text(kind: TextKind, o: { max?: number; required?: boolean } = {}): FieldCodec<string | null, string | null> {
  const max = o.max ?? (kind === 'line' ? ITEM_LIMITS.line : ITEM_LIMITS.text);
  return {
    sqlType: 'text',
    required: o.required,
    graphqlType: o.required ? 'String!' : 'String',
    inputType: o.required ? 'String!' : 'String',
    fromRow: (raw) => (raw as string | null) ?? null,
    same: (a, b) => a === b,
    describe: (v) => v,
    searchTexts: (v) => (v ? [v] : []),
    toInput: (v) => v,
    toCell: (v) => v ?? '',
    // A required field keeps an empty cell as '' (the preparer then says 不能为空).
    fromCell: (cell) => (cell === '' && !o.required ? null : cell),
    prepare: (value, f, ctx) => checkedText(f.inputKey!, value, { max, kind, required: o.required }, ctx.fail),
  };
}

/**
 * A list of texts, one cell: `join` between elements when written, `split` when read.
 * `wholePhrases`: each element is also indexed whole (curated colloquial phrases).
 */
function textList(o: { join: string; split: RegExp; wholePhrases?: boolean }): FieldCodec<string[], string[]> {
  return {
    sqlType: 'text[]',
    graphqlType: '[String!]!',
    inputType: '[String!]',
    fromRow: (raw) => (raw as string[] | null) ?? [],
    same: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
    describe: (v) => (v.length ? v.join('；') : null),
    searchTexts: (v) => v,
    wholePhrases: o.wholePhrases ? (v) => v.map((k) => k.replace(/\s+/g, '')) : undefined,
    toInput: (v) => v,
    toCell: (v) => (v ?? []).join(o.join),
    fromCell: (cell) => cell.split(o.split).map((s) => s.trim()).filter(Boolean),
    prepare: (value, f, ctx) => {
      const name = f.inputKey!;
      if (value === null || value === undefined) return [];
      if (!Array.isArray(value)) return ctx.fail(name, '应为文本列表'), undefined;
      if (value.length > ITEM_LIMITS.listElements) return ctx.fail(name, `不能超过${ITEM_LIMITS.listElements}项`), undefined;
      const checked = value.map((v, i) => checkedText(`${name}[${i}]`, v, { max: ITEM_LIMITS.element, kind: 'text', required: true }, ctx.fail));
      return checked.every((v) => typeof v === 'string') ? (checked as string[]) : undefined;
    },
  };
}

/**
 * A value of a closed set, written in sheets by its Chinese label (基本履职, 行政许可…) and read
 * by label as lists write it (see lookupLabel); an unknown label is passed on for validation to name.
 */
function choice<T extends string>(values: readonly T[], labels: Record<T, string>, graphqlType: string): FieldCodec<T | null, T | null> {
  const byLabel = Object.fromEntries(values.map((v) => [labels[v], v])) as Record<string, T>;
  return {
    labels,
    sqlType: 'text',
    graphqlType,
    inputType: graphqlType,
    fromRow: (raw) => (raw as T | null) ?? null,
    same: (a, b) => a === b,
    describe: (v) => v,
    searchTexts: () => [],
    toInput: (v) => v,
    toCell: (v) => (v ? (labels[v] ?? v) : ''),
    fromCell: (cell) => (cell === '' ? null : (lookupLabel(byLabel, cell) ?? (cell as T))),
    prepare: (value, f, ctx) => {
      if (value === null || value === undefined || value === '') return null;
      if (!values.includes(value as T)) return ctx.fail(f.inputKey!, `${f.label}“${String(value)}”无效`), undefined;
      return value as T;
    },
  };
}

/**
 * A label as lists write it: exact, or with spaces, a trailing 事项/类/权力, or without the 行政 prefix
 * (基本履职事项, 行政 许可, 许可 → the same value). Unknown labels answer undefined.
 */
function lookupLabel<T extends string>(byLabel: Record<string, T>, label: string): T | undefined {
  const plain = label.replace(/\s+/g, '');
  if (byLabel[plain]) return byLabel[plain];
  const stripped = plain.replace(/(事项|类|权力)$/, '');
  const found = byLabel[stripped] ?? byLabel[`行政${stripped}`] ?? byLabel[`${stripped}行政权力`];
  if (found || stripped.length < 2) return found;
  // A short form only one label contains (基本 → 基本履职, 收回 → 上级部门收回, 窗口 → 窗口受理).
  const containing = Object.keys(byLabel).filter((l) => l.includes(stripped));
  return containing.length === 1 ? byLabel[containing[0]] : undefined;
}

/** A body of the county's catalogue: stored by id, given and written by its name. */
function bodyRef(o: { required: true; notFound: (name: string) => string }): FieldCodec<string, string>;
function bodyRef(o: { required: boolean; notFound: (name: string) => string }): FieldCodec<string | null, string | null>;
function bodyRef(o: { required: boolean; notFound: (name: string) => string }): FieldCodec<string | null, string | null> {
  return {
    sqlType: 'uuid',
    required: o.required,
    graphqlType: o.required ? 'Body!' : 'Body',
    inputType: o.required ? 'String!' : 'String',
    fromRow: (raw) => (raw as string | null) ?? null,
    same: (a, b) => a === b,
    describe: (v, names) => (v ? (names.get(v) ?? v) : null),
    searchTexts: () => [],
    toInput: (v, names) => (v ? (names.get(v) ?? '') : null),
    toCell: (v) => v ?? '',
    fromCell: (cell) => (cell === '' && !o.required ? null : cell),
    bodyNames: (value) => (typeof value === 'string' ? [value.trim()] : []),
    bodyIds: (v) => (v ? [v] : []),
    prepare: (value, f, ctx) => {
      const name = checkedText(f.inputKey!, value, { max: ITEM_LIMITS.bodyName, kind: 'line', required: o.required }, ctx.fail);
      if (!name) return name === null ? null : undefined;
      const body = ctx.bodies.get(normalizeName(name));
      if (!body) return ctx.fail(f.inputKey!, o.notFound(name) + didYouMean(name, ctx)), undefined;
      ctx.resolvedBodies.set(f.key, body);
      return body.id;
    },
  };
}

/** `；您是否指“…”？` with the closest known bodies, or nothing. */
function didYouMean(name: string, ctx: PrepareContext): string {
  const closest = ctx.suggestions?.get(normalizeName(name));
  return closest?.length ? `；您是否指${closest.map((n) => `“${n}”`).join('或')}？（也可将“${name}”登记为该主体的别名）` : '';
}

/** One cooperating body as an input and a sheet give it. */
export interface CooperationInput {
  bodyName: string;
  duty: string;
}

/**
 * Cooperating bodies, each with its own duty: `主体：职责；主体：职责` in a sheet. A body appears once
 * and is not the body whose key is `distinctFrom` (the accountable body).
 */
function cooperation(o: { distinctFrom: string }): FieldCodec<StoredCooperation[], CooperationInput[]> {
  return {
    sqlType: 'jsonb',
    graphqlType: '[CooperatingDuty!]!',
    inputType: '[CooperatingDutyInput!]',
    fromRow: (raw) => ((raw as StoredCooperation[] | null) ?? []).map((c) => ({ bodyId: c.bodyId, duty: c.duty })),
    same: (a, b) => a.length === b.length && a.every((x, i) => x.bodyId === b[i].bodyId && x.duty === b[i].duty),
    describe: (v, names) => (v.length ? v.map((c) => `${names.get(c.bodyId) ?? c.bodyId}：${c.duty}`).join('；') : null),
    searchTexts: (v) => v.map((c) => c.duty),
    toInput: (v, names) => v.map((c) => ({ bodyName: names.get(c.bodyId) ?? '', duty: c.duty })),
    toCell: (v) => (v ?? []).map((c) => `${c.bodyName}：${c.duty}`).join('；'),
    fromCell: (cell) =>
      splitCooperation(cell).map((pair) => {
        const at = pair.search(/[：:]/);
        return at < 0 ? { bodyName: pair, duty: '' } : { bodyName: pair.slice(0, at).trim(), duty: pair.slice(at + 1).trim() };
      }),
    bodyNames: (value) => (Array.isArray(value) ? value.filter((c) => typeof c?.bodyName === 'string').map((c) => c.bodyName.trim()) : []),
    bodyIds: (v) => v.map((c) => c.bodyId),
    prepare: (value, f, ctx) => {
      const name = f.inputKey!;
      if (value === null || value === undefined) return [];
      if (!Array.isArray(value) || value.length > ITEM_LIMITS.listElements) return ctx.fail(name, `配合部门应为不超过${ITEM_LIMITS.listElements}项的列表`), undefined;
      const lead = ctx.resolvedBodies.get(o.distinctFrom);
      const stored: StoredCooperation[] = [];
      let ok = true;
      const fail = (path: string, message: string) => ((ok = false), ctx.fail(path, message));
      value.forEach((c: Partial<CooperationInput> | null, i) => {
        const at = `${name}[${i}]`;
        const bodyName = checkedText(`${at}.bodyName`, c?.bodyName, { max: ITEM_LIMITS.bodyName, kind: 'line', required: true }, fail);
        const duty = checkedText(`${at}.duty`, c?.duty, { max: ITEM_LIMITS.text, kind: 'text', required: true }, fail);
        const body = bodyName ? ctx.bodies.get(normalizeName(bodyName)) : undefined;
        if (bodyName && !body) fail(`${at}.bodyName`, `未找到配合主体“${bodyName}”，请先在主体目录中登记${didYouMean(bodyName, ctx)}`);
        else if (body && lead && body.id === lead.id) fail(`${at}.bodyName`, '配合主体不能与责任主体相同');
        else if (body && stored.some((x) => x.bodyId === body.id)) fail(`${at}.bodyName`, `配合主体“${bodyName}”重复`);
        else if (body && duty) stored.push({ bodyId: body.id, duty });
      });
      return ok ? stored : undefined;
    },
  };
}

/** A numbering in front of a list element: 1. 1、 1． (1) （1） ①. */
const NUMBERING = /^\s*(?:[(（]\d{1,3}[)）]|\d{1,3}[.．、](?!\d)|[①-⑳])\s*/;

/**
 * The `主体：职责` elements of a cooperating-bodies cell. `主体：职责；主体：职责` splits on `；`. A numbered
 * cell (`1.宜兴市公安局：…\n2.宜兴市交通运输局：…`, as real lists write them) splits only before each
 * number (at a line break or after `；`), so a duty keeps its own `；` and line breaks, and the numbers go.
 */
export function splitCooperation(cell: string): string[] {
  const numbered = NUMBERING.test(cell);
  const parts = numbered
    ? cell.split(/(?:[；;]\s*|\r?\n\s*)(?=(?:[(（]\d{1,3}[)）]|\d{1,3}[.．、](?!\d)|[①-⑳]))/)
    : cell.split(/[；;]\s*/);
  return parts.map((p) => (numbered ? p.replace(NUMBERING, '') : p).trim().replace(/[；;]$/, '').trim()).filter(Boolean);
}

/**
 * The legal basis as the list writes it (raw text, kept), parsed into citations (their own table):
 * compared, diffed and searched by the citations, shown in GraphQL as `citations`.
 */
function legalBasis(): FieldCodec<string | null, string | null> {
  const raw = text('text');
  return {
    ...raw,
    graphqlType: '[Citation!]!',
    describe: (_v, _names, item) => (item.citations.length ? item.citations.map((c) => (c.resolved || c.instrumentTitle ? c.label : `raw:${c.raw}`)).join('；') : null),
    // The labels and the article texts: a list without keywords still says what the law says.
    searchTexts: (_v, item) => item.citations.flatMap((c) => (c.text ? [c.label, c.text] : [c.label])),
  };
}

/** Derived by the preparer from the section (or the source) and the accountable body; never given. */
function derivedRole(): FieldCodec<TownshipRole, never> {
  return {
    sqlType: 'text',
    graphqlType: 'TownshipRole!',
    inputType: null,
    fromRow: (raw) => raw as TownshipRole,
    same: (a, b) => a === b,
    describe: (v) => v,
    searchTexts: () => [],
    toInput: () => undefined as never,
    toCell: () => '',
    fromCell: () => undefined as never,
    prepare: () => undefined,
  };
}

// ---------------------------------------------------------------- the fields

export const SECTION_LABEL: Record<ListSection, string> = { BASIC: '基本履职', COOPERATIVE: '配合履职', RECLAIMED: '上级部门收回' };
const CATEGORY_LABEL = {
  LICENSING: '行政许可', PENALTY: '行政处罚', COERCION: '行政强制', LEVY: '行政征收', PAYMENT: '行政给付', INSPECTION: '行政检查',
  CONFIRMATION: '行政确认', REWARD: '行政奖励', ADJUDICATION: '行政裁决', OTHER: '其他行政权力', PUBLIC_SERVICE: '公共服务',
} as const;
const SOURCE_LABEL = { STATUTORY: '法定', DELEGATED: '赋权', ENTRUSTED: '委托' } as const;
export const WORK_MODE_LABEL = { STATIONED: '派驻', WINDOW: '窗口受理', ONLINE: '线上办理', ON_SITE: '现场办理', OTHER: '其他' } as const;

const R: readonly ListKind[] = ['RESPONSIBILITY'];
const P: readonly ListKind[] = ['POWER'];
const LIST = { join: '；', split: /[；;]\s*/ };

/** The item code: the identity of an item across versions (not compared, not in the diff's fields). */
export const ITEM_CODE = field('itemCode', text('line', { max: ITEM_LIMITS.itemCode, required: true }), {
  label: '事项编码',
  diff: null,
  sheet: { order: 10, width: 20, header: '事项编码', aliases: ['项目编码', '职权编码', '权力编码', '事项代码', '编码', '基本编码', '事项编号', '职权编号'] },
});

/** The accountable (lead) body: exactly one. */
export const ACCOUNTABLE_BODY = field('accountableBodyId', bodyRef({ required: true, notFound: (n) => `未找到主体“${n}”，请先在主体目录中登记` }), {
  label: '责任主体',
  input: 'accountableBodyName',
  diff: 'accountableBody',
  graphql: 'accountableBody',
  sheet: {
    order: 90, width: 20,
    header: '责任主体', aliases: ['实施主体', '牵头部门', '牵头单位', '责任单位', '主管部门', '主体'],
    byKind: { POWER: { header: '实施主体', aliases: ['责任主体', '行使主体', '实施机关', '执法主体', '主体'] } },
    bySection: { COOPERATIVE: { header: '牵头部门', aliases: ['主责部门', '牵头单位', '责任单位', '责任主体'] }, RECLAIMED: { header: '收回部门', aliases: ['收回单位', '责任主体'] } },
  },
});

/**
 * Every content field, in the order `versionDiff` lists a changed item's fields (the order of the
 * stored row). Add a field here, and its column, GraphQL field and input property (see
 * docs/adding-an-item-field.md); everything else follows from this entry.
 */
export const ITEM_FIELDS = [
  field('name', text('line', { required: true }), {
    label: '事项名称', weight: 'A',
    sheet: { order: 20, width: 24, header: '事项名称', aliases: ['项目名称', '职权名称', '权力名称', '权力事项名称', '责任事项名称', '名称'] },
  }),
  field('description', text('text'), {
    label: '事项描述', weight: 'B',
    sheet: { order: 70, width: 46, header: '事项描述', aliases: ['事项内容', '职权内容', '权力内容', '具体内容', '事项说明', '内容'] },
  }),
  field('subItem', text('line'), {
    label: '子项', weight: 'A', kinds: P,
    sheet: { order: 50, width: 18, header: '子项', aliases: ['子项名称', '子项目', '子项目名称'] },
  }),
  field('handlingUnit', text('line'), {
    label: '承办机构', kinds: P,
    sheet: { order: 100, width: 16, header: '承办机构', aliases: ['承办科室', '承办单位', '内设机构', '承办部门'] },
  }),
  field('section', choice(LIST_SECTIONS, SECTION_LABEL, 'ListSection'), {
    label: '清单部分', kinds: R,
    requiredMessage: '责任清单事项必须注明清单部分（基本履职、配合履职或上级部门收回）',
    elsewhereMessage: '清单部分只适用于责任清单',
    sheet: { order: 30, width: 12, header: '清单部分', aliases: ['事项类别', '事项类型', '履职类型', '履职类别', '清单类别', '所属部分', '事项性质'] },
  }),
  field('category', choice(POWER_CATEGORIES, CATEGORY_LABEL, 'PowerCategory'), {
    label: '权力类别', kinds: P,
    requiredMessage: '权力清单事项必须注明权力类别',
    elsewhereMessage: '权力类别只适用于权力清单',
    sheet: { order: 40, width: 12, header: '权力类别', aliases: ['权力类型', '事项类别', '事项类型', '职权类别', '职权类型', '类别'] },
  }),
  field('source', choice(POWER_SOURCES, SOURCE_LABEL, 'PowerSource'), {
    label: '权力来源', kinds: P,
    requiredMessage: '权力清单事项必须注明权力来源（法定、赋权或委托）',
    elsewhereMessage: '权力来源只适用于权力清单',
    sheet: { order: 60, width: 9, header: '权力来源', aliases: ['职权来源', '来源', '权力来源方式'] },
  }),
  ACCOUNTABLE_BODY,
  field('townshipRole', derivedRole(), { label: '乡镇角色', input: null }),
  field('leadDuty', text('text'), {
    label: '上级部门职责', weight: 'C', kinds: R, sections: ['COOPERATIVE'],
    sheet: { order: 115, width: 36, header: '上级部门职责', aliases: ['牵头部门职责', '主责部门职责', '部门职责'] },
  }),
  field('takeoverBodyId', bodyRef({ required: false, notFound: (n) => `未找到承接部门“${n}”，请先在主体目录中登记` }), {
    label: '承接部门', input: 'takeoverBodyName', diff: 'takeoverBody', graphql: 'takeoverBody', kinds: R, sections: ['RECLAIMED'],
    sheet: { order: 116, width: 20, header: '承接部门', aliases: ['承接单位', '承接机构', '承接主体'] },
  }),
  field('workMode', choice(WORK_MODES, WORK_MODE_LABEL, 'WorkMode'), {
    label: '工作方式', kinds: R, sections: ['RECLAIMED'],
    sheet: { order: 117, width: 12, header: '工作方式', aliases: ['承接方式', '履职方式', '办理方式', '服务方式'] },
  }),
  field('townshipDuty', text('text'), {
    label: '乡镇职责', weight: 'C', kinds: R,
    sheet: {
      order: 120, width: 36,
      header: '乡镇职责', aliases: ['乡镇（街道）职责', '镇（街道）职责', '镇街职责', '乡镇履职内容', '乡镇职责任务', '本级职责'],
      bySection: { COOPERATIVE: { header: '乡镇配合职责', aliases: ['乡镇（街道）配合职责', '配合职责', '乡镇职责'] } },
    },
  }),
  field('villageDuty', text('text'), {
    label: '村级职责', weight: 'C', kinds: R,
    sheet: { order: 130, width: 28, header: '村级职责', aliases: ['村（社区）职责', '村（居）职责', '村（居）委会职责', '村级履职内容'] },
  }),
  field('cooperating', cooperation({ distinctFrom: ACCOUNTABLE_BODY.key }), {
    label: '配合部门及职责', weight: 'C', kinds: R,
    sheet: { order: 110, width: 40, header: '配合部门及职责', aliases: ['配合部门及其职责', '配合单位及职责', '配合部门', '配合单位', '协同部门及职责', '协同部门'] },
  }),
  field('legalBasis', legalBasis(), {
    label: '实施依据', diff: 'citations', graphql: 'citations', weight: 'D',
    sheet: { order: 80, width: 40, header: '实施依据', aliases: ['设定依据', '法律依据', '法定依据', '设定和实施依据', '法律法规依据', '政策依据', '依据'] },
  }),
  // Staged duties are numbered (1.受理责任：…；2.审查责任：…): split only before a number, or where
  // a `；` ends a line (one duty per line, as wrapped cells and our export write them).
  field('stagedDuties', textList({ join: '；\n', split: /[；;]\s*(?=\d+[.．、])|[；;][^\S\n]*\n\s*/ }), {
    label: '责任事项', weight: 'C',
    sheet: { order: 140, width: 48, header: '责任事项', aliases: ['责任事项内容', '具体责任事项', '职责事项'] },
  }),
  field('accountabilityCircumstances', textList(LIST), {
    label: '追责情形',
    sheet: { order: 150, width: 40, header: '追责情形', aliases: ['问责情形', '追责情形及依据', '责任追究情形'] },
  }),
  field('exemptions', textList(LIST), {
    label: '免责情形',
    sheet: { order: 160, width: 40, header: '免责情形', aliases: ['免责事项', '尽职免责情形'] },
  }),
  field('keywords', textList({ join: '、', split: /[、,，；;]\s*/, wholePhrases: true }), {
    label: '关键词', weight: 'A',
    sheet: { order: 170, width: 22, header: '关键词', aliases: ['关键字', '检索词'] },
  }),
  // Phrases people asked with, mapped to the item from the question log (accountability/question-log.service.ts).
  field('aliases', textList({ join: '、', split: /[、,，；;]\s*/, wholePhrases: true }), {
    label: '常见问法', weight: 'A',
    sheet: { order: 180, width: 22, header: '常见问法', aliases: ['别名', '俗称', '群众说法'] },
  }),
] as const;

export type AnyItemField = (typeof ITEM_FIELDS)[number];
type StoredOf<F> = F extends ItemField<string, infer S, unknown> ? S : never;
type InputOf<F> = F extends ItemField<string, unknown, infer I> ? I : never;

/** An item's content as stored (ids for bodies, the legal basis as written). */
export type ItemContent = { [F in AnyItemField as F['key']]: StoredOf<F> };
/** An item as an input (saveItem, a sheet row) gives it: bodies by name; every field but the code optional. */
export type ItemInputValues = { itemCode: string } & { [F in AnyItemField as [InputOf<F>] extends [never] ? never : NonNullable<F['inputKey']>]?: InputOf<F> | null };

/** Fields compared, diffed, written and read, the item code first. */
export const ALL_FIELDS: readonly ItemField[] = [ITEM_CODE, ...ITEM_FIELDS] as readonly ItemField[];
export const CONTENT_FIELDS: readonly ItemField[] = ITEM_FIELDS as readonly ItemField[];

/** Whether a field belongs to items of this kind (and section, when given). */
export const belongsTo = (f: ItemField, kind: ListKind, section?: ListSection | null): boolean =>
  (!f.kinds || f.kinds.includes(kind)) && (!section || !f.sections || f.sections.includes(section));

// ---------------------------------------------------------------- derived: rows, comparison, diff, search

/** The stored content of a row (snake_case columns) keyed by field. */
export function contentFromRow(row: Record<string, unknown>): ItemContent {
  const content: Record<string, unknown> = {};
  for (const f of CONTENT_FIELDS) content[f.key] = f.codec.fromRow(row[f.column]);
  return content as ItemContent;
}

/** The content as the JSON record of the write statement (one key per column). */
export function contentToRecord(content: ItemContent): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const f of CONTENT_FIELDS) record[f.column] = (content as Record<string, unknown>)[f.key];
  return record;
}

/** Whether two contents are the same for every compared field (citations apart: see the repository). */
export function sameContent(a: ItemContent, b: ItemContent): boolean {
  return CONTENT_FIELDS.every((f) => !f.compared || f.codec.same((a as Record<string, unknown>)[f.key], (b as Record<string, unknown>)[f.key]));
}

/** An item as comparable text per diff field (bodies by name, citations by their parsed form). */
export function describeContent(content: ItemContent, names: BodyNames, item: ItemCitations): Record<string, string | null> {
  const described: Record<string, string | null> = {};
  for (const f of CONTENT_FIELDS) if (f.diff) described[f.diff] = f.codec.describe((content as Record<string, unknown>)[f.key], names, item);
  return described;
}

/** The texts of each search weight (and the phrases indexed whole), in field order. */
export function searchTexts(content: ItemContent, item: ItemCitations): { weight: SearchWeight; texts: readonly string[]; whole: readonly string[] }[] {
  return CONTENT_FIELDS.filter((f) => f.weight).map((f) => {
    const value = (content as Record<string, unknown>)[f.key];
    return { weight: f.weight!, texts: f.codec.searchTexts(value, item), whole: f.codec.wholePhrases?.(value) ?? [] };
  });
}

// ---------------------------------------------------------------- derived: sheets

/** The headers of a field in a list of this kind (and on a sheet of this section): standard first. */
export function headersOf(f: ItemField, kind: ListKind, section?: ListSection | null): SheetHeaders | null {
  if (!f.sheet) return null;
  return (section && f.sheet.bySection?.[section]) || f.sheet.byKind?.[kind] || f.sheet;
}

/** The columns of a sheet of this kind, in export order. */
export function sheetFields(kind: ListKind): readonly ItemField[] {
  return ALL_FIELDS.filter((f) => f.sheet && belongsTo(f, kind)).sort((a, b) => a.sheet!.order - b.sheet!.order);
}

/** An item as an input gives it (bodies by name), from its stored content. */
export function contentToInput(itemCode: string, content: ItemContent, names: BodyNames): ItemInputValues {
  const input: Record<string, unknown> = { itemCode };
  for (const f of CONTENT_FIELDS) if (f.inputKey) input[f.inputKey] = f.codec.toInput((content as Record<string, unknown>)[f.key], names);
  return input as ItemInputValues;
}

/** Ids of the catalogue bodies items refer to (one lookup of their names). */
export function bodyIdsOf(contents: readonly ItemContent[]): string[] {
  const ids = new Set<string>();
  for (const content of contents) for (const f of CONTENT_FIELDS) for (const id of f.codec.bodyIds?.((content as Record<string, unknown>)[f.key]) ?? []) ids.add(id);
  return [...ids];
}

/** Catalogue body names an input refers to (one lookup for a whole batch); names no body can have are left out. */
export function bodyNamesOf(input: Record<string, unknown>): string[] {
  return CONTENT_FIELDS.flatMap((f) => (f.inputKey && f.codec.bodyNames ? f.codec.bodyNames(input[f.inputKey]) : [])).filter(
    (n) => n && n.length <= ITEM_LIMITS.bodyName && !hasInvalidCharacters(n),
  );
}
