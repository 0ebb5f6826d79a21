import type { ListKind } from './duty-list.entity.js';
import type { ListSection, PowerCategory, PowerSource } from './list-item.entity.js';
import type { ListItemInput } from './list.model.js';

/**
 * The spreadsheet shape counties publish (see the fixtures' README): standard Chinese headers,
 * `；` between list elements, `、` between keywords, `主体：职责` for cooperating bodies.
 * Shared by the demo data, import and export so the three read and write the same columns.
 */
export const SECTION_BY_LABEL: Record<string, ListSection> = { 基本履职: 'BASIC', 配合履职: 'COOPERATIVE', 上级部门收回: 'RECLAIMED' };
export const CATEGORY_BY_LABEL: Record<string, PowerCategory> = {
  行政许可: 'LICENSING', 行政处罚: 'PENALTY', 行政强制: 'COERCION', 行政征收: 'LEVY', 行政给付: 'PAYMENT', 行政检查: 'INSPECTION',
  行政确认: 'CONFIRMATION', 行政奖励: 'REWARD', 行政裁决: 'ADJUDICATION', 其他行政权力: 'OTHER', 公共服务: 'PUBLIC_SERVICE',
};
export const SOURCE_BY_LABEL: Record<string, PowerSource> = { 法定: 'STATUTORY', 赋权: 'DELEGATED', 委托: 'ENTRUSTED' };
const invert = <T extends string>(m: Record<string, T>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k])) as Record<T, string>;
export const SECTION_LABEL = invert(SECTION_BY_LABEL);
export const CATEGORY_LABEL = invert(CATEGORY_BY_LABEL);
export const SOURCE_LABEL = invert(SOURCE_BY_LABEL);

export type SheetField =
  | 'itemCode' | 'name' | 'section' | 'category' | 'subItem' | 'source' | 'description' | 'legalBasis' | 'accountableBodyName'
  | 'handlingUnit' | 'cooperating' | 'townshipDuty' | 'villageDuty' | 'stagedDuties' | 'accountabilityCircumstances' | 'exemptions' | 'keywords';

/** Standard headers per kind, in the order counties publish them. */
export const STANDARD_COLUMNS: Record<ListKind, [SheetField, string][]> = {
  RESPONSIBILITY: [
    ['itemCode', '事项编码'], ['name', '事项名称'], ['section', '清单部分'], ['description', '事项描述'], ['legalBasis', '实施依据'],
    ['accountableBodyName', '责任主体'], ['cooperating', '配合部门及职责'], ['townshipDuty', '乡镇职责'], ['villageDuty', '村级职责'],
    ['stagedDuties', '责任事项'], ['accountabilityCircumstances', '追责情形'], ['exemptions', '免责情形'], ['keywords', '关键词'],
  ],
  POWER: [
    ['itemCode', '事项编码'], ['name', '事项名称'], ['category', '权力类别'], ['subItem', '子项'], ['source', '权力来源'], ['legalBasis', '实施依据'],
    ['accountableBodyName', '实施主体'], ['handlingUnit', '承办机构'], ['stagedDuties', '责任事项'], ['accountabilityCircumstances', '追责情形'],
    ['exemptions', '免责情形'], ['keywords', '关键词'],
  ],
};

const splitList = (text: string, separator: RegExp) => text.split(separator).map((s) => s.trim()).filter(Boolean);

/** A row keyed by standard field as an item input; unknown labels are passed through for validation to name. */
export function rowToItemInput(row: Partial<Record<SheetField, string>>): ListItemInput {
  const v = (f: SheetField) => (row[f] ?? '').trim();
  const orNull = (s: string) => (s === '' ? null : s);
  return {
    itemCode: v('itemCode'),
    name: v('name'),
    description: orNull(v('description')),
    subItem: orNull(v('subItem')),
    handlingUnit: orNull(v('handlingUnit')),
    section: v('section') ? (lookupLabel(SECTION_BY_LABEL, v('section')) ?? (v('section') as ListSection)) : null,
    category: v('category') ? (lookupLabel(CATEGORY_BY_LABEL, v('category')) ?? (v('category') as PowerCategory)) : null,
    source: v('source') ? (lookupLabel(SOURCE_BY_LABEL, v('source')) ?? (v('source') as PowerSource)) : null,
    accountableBodyName: v('accountableBodyName'),
    townshipDuty: orNull(v('townshipDuty')),
    villageDuty: orNull(v('villageDuty')),
    cooperating: splitList(v('cooperating'), /[；;]\s*/).map((pair) => {
      const at = pair.search(/[：:]/);
      return at < 0 ? { bodyName: pair, duty: '' } : { bodyName: pair.slice(0, at).trim(), duty: pair.slice(at + 1).trim() };
    }),
    legalBasis: orNull(v('legalBasis')),
    // Staged duties are numbered (1.受理责任：…；2.审查责任：…): split only before a number, or where
    // a `；` ends a line (one duty per line, as wrapped cells and our export write them).
    stagedDuties: splitList(v('stagedDuties'), /[；;]\s*(?=\d+[.．、])|[；;][^\S\n]*\n\s*/),
    accountabilityCircumstances: splitList(v('accountabilityCircumstances'), /[；;]\s*/),
    exemptions: splitList(v('exemptions'), /[；;]\s*/),
    keywords: splitList(v('keywords'), /[、,，；;]\s*/),
  };
}

/** Reads a fixture-shaped record (headers as keys) of the given kind. */
export function recordToItemInput(kind: ListKind, record: Record<string, string>): ListItemInput {
  const row: Partial<Record<SheetField, string>> = {};
  for (const [field, header] of STANDARD_COLUMNS[kind]) row[field] = record[header] ?? '';
  return rowToItemInput(row);
}

/**
 * A label as lists write it: exact, or with spaces, a trailing 事项/类/权力, or without the 行政 prefix
 * (基本履职事项, 行政 许可, 许可 → the same value). Unknown labels answer undefined.
 */
export function lookupLabel<T extends string>(byLabel: Record<string, T>, label: string): T | undefined {
  const plain = label.replace(/\s+/g, '');
  if (byLabel[plain]) return byLabel[plain];
  const stripped = plain.replace(/(事项|类|权力)$/, '');
  return byLabel[stripped] ?? byLabel[`行政${stripped}`] ?? byLabel[`${stripped}行政权力`];
}

/**
 * Header names real lists use for each standard column, the standard one first (项目名称 = 事项名称,
 * 职权编码 = 事项编码, 权力类型 = 事项类别 = 权力类别, 设定依据 = 法律依据 = 实施依据, 责任主体 = 实施主体 …).
 * Compared after `normalizeHeader`. Per kind, because a few names mean different columns in the two
 * lists (事项类别 is the power category of a power list and the section of a responsibility list).
 */
const COMMON_ALIASES: Partial<Record<SheetField, string[]>> = {
  itemCode: ['事项编码', '项目编码', '职权编码', '权力编码', '事项代码', '编码', '基本编码', '事项编号', '职权编号'],
  name: ['事项名称', '项目名称', '职权名称', '权力名称', '权力事项名称', '责任事项名称', '名称'],
  description: ['事项描述', '事项内容', '职权内容', '权力内容', '具体内容', '事项说明', '内容'],
  legalBasis: ['实施依据', '设定依据', '法律依据', '法定依据', '设定和实施依据', '法律法规依据', '政策依据', '依据'],
  stagedDuties: ['责任事项', '责任事项内容', '具体责任事项', '职责事项'],
  accountabilityCircumstances: ['追责情形', '问责情形', '追责情形及依据', '责任追究情形'],
  exemptions: ['免责情形', '免责事项', '尽职免责情形'],
  keywords: ['关键词', '关键字', '检索词'],
};
export const HEADER_ALIASES: Record<ListKind, Partial<Record<SheetField, string[]>>> = {
  RESPONSIBILITY: {
    ...COMMON_ALIASES,
    section: ['清单部分', '事项类别', '事项类型', '履职类型', '履职类别', '清单类别', '所属部分', '事项性质'],
    accountableBodyName: ['责任主体', '实施主体', '牵头部门', '牵头单位', '责任单位', '主管部门', '主体'],
    cooperating: ['配合部门及职责', '配合部门及其职责', '配合单位及职责', '配合部门', '配合单位', '协同部门及职责', '协同部门'],
    townshipDuty: ['乡镇职责', '乡镇（街道）职责', '镇（街道）职责', '镇街职责', '乡镇履职内容', '乡镇职责任务', '本级职责'],
    villageDuty: ['村级职责', '村（社区）职责', '村（居）职责', '村（居）委会职责', '村级履职内容'],
  },
  POWER: {
    ...COMMON_ALIASES,
    category: ['权力类别', '权力类型', '事项类别', '事项类型', '职权类别', '职权类型', '类别'],
    subItem: ['子项', '子项名称', '子项目', '子项目名称'],
    source: ['权力来源', '职权来源', '来源', '权力来源方式'],
    accountableBodyName: ['实施主体', '责任主体', '行使主体', '实施机关', '执法主体', '主体'],
    handlingUnit: ['承办机构', '承办科室', '承办单位', '内设机构', '承办部门'],
  },
};

/** Columns a sheet may carry that are not item data (numbering): read, never warned about. */
export const IGNORED_HEADERS = ['序号', '排序', '行号'];

/** Columns without which a row cannot be an item. */
export const REQUIRED_FIELDS: Record<ListKind, SheetField[]> = {
  RESPONSIBILITY: ['itemCode', 'name', 'section', 'accountableBodyName'],
  POWER: ['itemCode', 'name', 'category', 'source', 'accountableBodyName'],
};

/**
 * A header cell as compared: no spaces or line breaks (合并单元格里常见的“事项\\n编码”), no required-field
 * marks (*, ※), ASCII parentheses as full-width, and fill-in notes in brackets dropped (“（必填）”).
 */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\s\u3000]+/g, '')
    .replace(/[*＊※★]/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）')
    .replace(/（[^（）]*(必填|选填|可选|填写|分隔|多个|如有|格式)[^（）]*）/g, '')
    .replace(/[:：]$/, '');
}

const ALIAS_INDEX: Record<ListKind, Map<string, SheetField>> = {
  RESPONSIBILITY: aliasIndex('RESPONSIBILITY'),
  POWER: aliasIndex('POWER'),
};
function aliasIndex(kind: ListKind): Map<string, SheetField> {
  const index = new Map<string, SheetField>();
  for (const [field, names] of Object.entries(HEADER_ALIASES[kind]) as [SheetField, string[]][])
    for (const name of names) index.set(normalizeHeader(name), field);
  return index;
}

/** The standard field a header names in a list of this kind, 'ignored' for numbering columns, else null. */
export function fieldOfHeader(kind: ListKind, header: string): SheetField | 'ignored' | null {
  const key = normalizeHeader(header);
  if (!key) return null;
  if (IGNORED_HEADERS.includes(key)) return 'ignored';
  return ALIAS_INDEX[kind].get(key) ?? null;
}

/** The standard header of a field in a list of this kind. */
export function standardHeader(kind: ListKind, field: SheetField): string {
  return STANDARD_COLUMNS[kind].find(([f]) => f === field)?.[1] ?? HEADER_ALIASES[kind][field]?.[0] ?? field;
}

/** What an item of a version looks like as a spreadsheet row: the inverse of `rowToItemInput`. */
export interface SheetItem {
  itemCode: string;
  name: string;
  description: string | null;
  subItem: string | null;
  handlingUnit: string | null;
  section: ListSection | null;
  category: PowerCategory | null;
  source: PowerSource | null;
  accountableBodyName: string;
  townshipDuty: string | null;
  villageDuty: string | null;
  cooperating: { bodyName: string; duty: string }[];
  legalBasis: string | null;
  stagedDuties: string[];
  accountabilityCircumstances: string[];
  exemptions: string[];
  keywords: string[];
}

/**
 * The cells of an item, by standard field, written so that `rowToItemInput` reads the same item
 * back: `；` between list elements, `、` between keywords, `主体：职责` pairs; staged duties one per
 * line (they are numbered, and the reader splits before a number).
 */
export function itemToSheetRow(item: SheetItem): Record<SheetField, string> {
  return {
    itemCode: item.itemCode,
    name: item.name,
    section: item.section ? SECTION_LABEL[item.section] : '',
    category: item.category ? CATEGORY_LABEL[item.category] : '',
    subItem: item.subItem ?? '',
    source: item.source ? SOURCE_LABEL[item.source] : '',
    description: item.description ?? '',
    legalBasis: item.legalBasis ?? '',
    accountableBodyName: item.accountableBodyName,
    handlingUnit: item.handlingUnit ?? '',
    cooperating: item.cooperating.map((c) => `${c.bodyName}：${c.duty}`).join('；'),
    townshipDuty: item.townshipDuty ?? '',
    villageDuty: item.villageDuty ?? '',
    stagedDuties: item.stagedDuties.join('；\n'),
    accountabilityCircumstances: item.accountabilityCircumstances.join('；'),
    exemptions: item.exemptions.join('；'),
    keywords: item.keywords.join('、'),
  };
}
