import type { ListKind } from './duty-list.entity.js';
import { ALL_FIELDS, belongsTo, headersOf, sheetFields, type ItemField, type ItemInputValues } from './item-fields.js';
import type { ListSection } from './list-item.entity.js';
import type { ListItemInput } from './list.model.js';

/**
 * The spreadsheet shape counties publish (see the fixtures' README), derived from the item fields
 * (item-fields.ts): standard Chinese headers and the aliases real lists use, `；` between list
 * elements, `、` between keywords, `主体：职责` for cooperating bodies, choices by their Chinese labels.
 * Shared by the demo data, import and export so the three read and write the same columns.
 */

/** A column of a sheet, named by the input property it fills (itemCode, accountableBodyName, section…). */
export type SheetField = string;

/** The item as a sheet holds it: an input, bodies by name. */
export type SheetItem = ItemInputValues;

/** The standard columns of a list of this kind, in the order counties publish them. */
export function standardColumns(kind: ListKind): { field: SheetField; header: string; width: number }[] {
  return sheetFields(kind).map((f) => ({ field: f.inputKey!, header: headersOf(f, kind)!.header, width: f.sheet!.width }));
}

const BY_INPUT = new Map<SheetField, ItemField>(ALL_FIELDS.filter((f) => f.inputKey && f.sheet).map((f) => [f.inputKey!, f]));

/** A row keyed by column (cells as read) as an item input; unknown labels are passed through for validation to name. */
export function rowToItemInput(row: Partial<Record<SheetField, string>>): ListItemInput {
  const input: Record<string, unknown> = {};
  for (const [key, f] of BY_INPUT) input[key] = f.codec.fromCell((row[key] ?? '').trim());
  return input as unknown as ListItemInput;
}

/** The cells of an item, by column, written so that `rowToItemInput` reads the same item back. */
export function itemToSheetRow(item: SheetItem): Record<SheetField, string> {
  const row: Record<SheetField, string> = {};
  for (const [key, f] of BY_INPUT) row[key] = f.codec.toCell((item as Record<string, unknown>)[key] as never);
  return row;
}

/** Reads a fixture-shaped record (standard headers as keys) of the given kind. */
export function recordToItemInput(kind: ListKind, record: Record<string, string>): ListItemInput {
  const row: Partial<Record<SheetField, string>> = {};
  for (const c of standardColumns(kind)) row[c.field] = record[c.header] ?? '';
  return rowToItemInput(row);
}

/** Columns a sheet may carry that are not item data (numbering): read, never warned about. */
const IGNORED_HEADERS = ['序号', '排序', '行号'];

/** Columns without which a row of this kind cannot be an item. */
export const requiredColumns = (kind: ListKind): SheetField[] =>
  sheetFields(kind).filter((f) => f.codec.required || f.requiredMessage).map((f) => f.inputKey!);

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

/**
 * Header names → column, per list kind (and section): a few names mean different columns in the
 * two lists (事项类别 is the power category of a power list and the section of a responsibility
 * list), and a section's sheet names some columns its own way (配合履职: 牵头部门, 乡镇配合职责).
 */
const indexes = new Map<string, Map<string, SheetField>>();
function headerIndex(kind: ListKind, section: ListSection | null): Map<string, SheetField> {
  const key = `${kind}:${section ?? ''}`;
  let index = indexes.get(key);
  if (!index) {
    index = new Map();
    const fields = ALL_FIELDS.filter((f) => f.sheet && f.inputKey && belongsTo(f, kind, section));
    // Standard headers first, so that an alias never takes a name another column owns.
    for (const f of fields) index.set(normalizeHeader(headersOf(f, kind, section)!.header), f.inputKey!);
    for (const f of fields) for (const name of headersOf(f, kind, section)!.aliases ?? []) if (!index.has(normalizeHeader(name))) index.set(normalizeHeader(name), f.inputKey!);
    indexes.set(key, index);
  }
  return index;
}

/** The column a header names in a list of this kind (on a sheet of this section), 'ignored' for numbering columns, else null. */
export function fieldOfHeader(kind: ListKind, header: string, section: ListSection | null = null): SheetField | 'ignored' | null {
  const key = normalizeHeader(header);
  if (!key) return null;
  if (IGNORED_HEADERS.includes(key)) return 'ignored';
  return headerIndex(kind, section).get(key) ?? null;
}

/** The standard header of a column in a list of this kind. */
export function standardHeader(kind: ListKind, field: SheetField): string {
  const f = BY_INPUT.get(field);
  return (f && headersOf(f, kind)?.header) ?? field;
}

/** The Chinese labels of a choice column (清单部分, 权力类别, 权力来源), for messages naming the valid values. */
export const labelsOf = (field: SheetField): string[] => Object.values(BY_INPUT.get(field)?.codec.labels ?? {});
