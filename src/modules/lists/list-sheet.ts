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
    section: v('section') ? (SECTION_BY_LABEL[v('section')] ?? (v('section') as ListSection)) : null,
    category: v('category') ? (CATEGORY_BY_LABEL[v('category')] ?? (v('category') as PowerCategory)) : null,
    source: v('source') ? (SOURCE_BY_LABEL[v('source')] ?? (v('source') as PowerSource)) : null,
    accountableBodyName: v('accountableBodyName'),
    townshipDuty: orNull(v('townshipDuty')),
    villageDuty: orNull(v('villageDuty')),
    cooperating: splitList(v('cooperating'), /[；;]\s*/).map((pair) => {
      const at = pair.search(/[：:]/);
      return at < 0 ? { bodyName: pair, duty: '' } : { bodyName: pair.slice(0, at).trim(), duty: pair.slice(at + 1).trim() };
    }),
    legalBasis: orNull(v('legalBasis')),
    // Staged duties are numbered (1.受理责任：…；2.审查责任：…): split only before a number.
    stagedDuties: splitList(v('stagedDuties'), /[；;]\s*(?=\d+[.．、])/),
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
