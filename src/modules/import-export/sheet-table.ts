import type { ListKind } from '../lists/duty-list.entity.js';
import { SECTION_LABEL } from '../lists/item-fields.js';
import type { ListSection } from '../lists/list-item.entity.js';
import { fieldOfHeader, labelsOf, requiredColumns, rowToItemInput, standardHeader, type SheetField } from '../lists/list-sheet.js';
import type { ListItemInput } from '../lists/list.model.js';
import type { SheetGrid } from './sheet-readers.js';

/** A problem found in a file, placed where a clerk finds it: row as Excel numbers it, column by its header. */
export interface SheetProblem {
  row: number;
  column: string | null;
  message: string;
}

export interface SheetColumn {
  index: number;
  field: SheetField;
  /** The header as the file writes it (errors name the column the clerk sees). */
  header: string;
}

export interface SheetHeader {
  /** Excel row numbers of the header (two when a merged group row sits above or below). */
  rowNumbers: number[];
  columns: SheetColumn[];
  /** Index in grid.rows of the first row after the header. */
  dataStart: number;
  problems: SheetProblem[];
  warnings: SheetProblem[];
}

export interface SheetItemRow {
  /** Excel row number. */
  row: number;
  sheet: string | null;
  input: ListItemInput;
}

const HEADER_SEARCH_ROWS = 30;
const MAX_HEADER_ROWS = 3;

const recognized = (kind: ListKind, cells: string[], section: ListSection | null) =>
  cells.map((c) => fieldOfHeader(kind, c, section)).filter((f): f is SheetField => !!f && f !== 'ignored');

/** Words naming a part of a responsibility list in a sheet name or a title row. */
const SECTION_WORDS: [RegExp, ListSection][] = [
  [/基本履职|^基本(事项)?$/, 'BASIC'],
  [/配合履职|^配合(事项)?$/, 'COOPERATIVE'],
  [/收回/, 'RECLAIMED'],
];
const sectionNamed = (text: string): ListSection | null => {
  const plain = text.replace(/\s+/g, '');
  const found = new Set(SECTION_WORDS.filter(([re]) => re.test(plain)).map(([, s]) => s));
  return found.size === 1 ? [...found][0] : null;
};

/**
 * The part of a responsibility list a whole sheet holds (three-part workbooks): named by the sheet
 * (基本履职事项, 配合履职事项, 上级部门收回事项) or by a title row above the header (one text across the
 * row, e.g. 宜兴市张渚镇配合履职事项清单). A title naming several parts names none.
 */
export function sheetSection(grid: SheetGrid, kind: ListKind): ListSection | null {
  if (kind !== 'RESPONSIBILITY') return null;
  // The title first: a sheet holding the parts one under the other is split into tables, each under its title.
  for (const row of grid.rows.slice(0, 6)) {
    const texts = new Set(row.cells.map((c) => c.trim()).filter(Boolean));
    if (texts.size === 1) {
      const section = sectionNamed([...texts][0]);
      if (section) return section;
    } else if (texts.size > 1) break; // the header: titles are above it
  }
  return grid.name ? sectionNamed(grid.name) : null;
}

/**
 * Finds the header among the first rows (a merged title row above it is skipped: it names no
 * column), matching headers by name and alias, never by position. A header split over two rows
 * (a merged group label above or below the column names) is read as one.
 */
export function locateHeader(grid: SheetGrid, kind: ListKind, section: ListSection | null = null): SheetHeader | null {
  const rows = grid.rows;
  let best = -1;
  let bestCount = 1; // at least two known columns make a header
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const count = new Set(recognized(kind, rows[i].cells, section)).size;
    if (count > bestCount) [best, bestCount] = [i, count];
  }
  if (best < 0) return null;
  // The header block: adjacent rows that hold header text over every known column of the best
  // row — the same name (merged vertically), a known name, or a group label merged across columns.
  const bestCells = rows[best].cells;
  const known = bestCells.map((c, i) => (fieldOfHeader(kind, c, section) ? i : -1)).filter((i) => i >= 0);
  const joins = (i: number, next: number) => {
    if (next < 0 || next >= rows.length || Math.abs(rows[next].number - rows[i].number) !== 1) return false;
    const cells = rows[next].cells.map((c) => c.trim());
    // A row of one text across (a merged title, a heading such as 一、基本履职事项) is no header.
    if (new Set(cells.filter(Boolean)).size < 2) return false;
    return known.every((c) => !cells[c] || cells[c] === bestCells[c].trim() || !!fieldOfHeader(kind, cells[c], section) || cells[c] === cells[c - 1] || cells[c] === cells[c + 1]);
  };
  let [top, bottom] = [best, best];
  while (bottom - top + 1 < MAX_HEADER_ROWS && joins(top, top - 1)) top--;
  while (bottom - top + 1 < MAX_HEADER_ROWS && joins(bottom, bottom + 1)) bottom++;
  const block = rows.slice(top, bottom + 1);
  const width = Math.max(...block.map((r) => r.cells.length));

  const columns: SheetColumn[] = [];
  const unknown: { index: number; header: string }[] = [];
  for (let c = 0; c < width; c++) {
    let chosen: { field: SheetField | 'ignored'; header: string } | null = null;
    let text = '';
    for (let r = block.length - 1; r >= 0 && !chosen; r--) {
      const cell = (block[r].cells[c] ?? '').trim();
      const field = fieldOfHeader(kind, cell, section);
      if (field) chosen = { field, header: cell.replace(/\s+/g, '') };
      else if (!text && cell) text = cell;
    }
    if (chosen?.field === 'ignored') continue;
    if (chosen) columns.push({ index: c, field: chosen.field, header: chosen.header });
    else if (text) unknown.push({ index: c, header: text.replace(/\s+/g, '') });
  }

  const headerRow = block[block.length - 1].number;
  const problems: SheetProblem[] = [];
  const warnings: SheetProblem[] = [];
  const byField = new Map<SheetField, SheetColumn[]>();
  for (const col of columns) byField.set(col.field, [...(byField.get(col.field) ?? []), col]);
  for (const [field, cols] of byField)
    if (cols.length > 1)
      problems.push({
        row: headerRow,
        column: cols[1].header,
        message: `有${cols.length}列都表示「${standardHeader(kind, field)}」（${cols.map((c) => `第${columnLetter(c.index)}列「${c.header}」`).join('、')}），请只保留一列`,
      });
  // The section (power category) column may be replaced by heading rows (一、基本履职事项): itemRows decides.
  // Without 事项编码 the rows are matched to the items in force by name (lists/item-codes.ts).
  for (const field of requiredColumns(kind))
    if (!byField.has(field) && field !== groupFieldOf(kind) && field !== 'itemCode')
      problems.push({ row: headerRow, column: standardHeader(kind, field), message: `缺少必填列「${standardHeader(kind, field)}」，请在表头中添加该列（列名见导入说明）` });
  const seenUnknown = new Set<string>();
  for (const u of unknown) {
    if (seenUnknown.has(u.header)) continue;
    seenUnknown.add(u.header);
    warnings.push({ row: headerRow, column: u.header, message: `未识别的列「${u.header}」（第${columnLetter(u.index)}列），其内容未导入` });
  }
  return { rowNumbers: block.map((r) => r.number), columns, dataStart: bottom + 1, problems, warnings };
}

/**
 * The tables of a sheet. Counties often put the three parts in one sheet, one table under the other,
 * each under its own title row (二、配合履职事项) with its own header row: a row of one text naming one
 * part, followed within three rows by a header of that part, starts a table. A sheet without such
 * rows is one table (heading rows inside a table, with no header under them, stay headings).
 */
export function splitTables(grid: SheetGrid, kind: ListKind): SheetGrid[] {
  if (kind !== 'RESPONSIBILITY') return [grid];
  const starts: number[] = [];
  grid.rows.forEach((row, i) => {
    const texts = new Set(row.cells.map((c) => c.trim()).filter(Boolean));
    if (texts.size !== 1) return;
    const section = sectionNamed([...texts][0]);
    if (!section) return;
    const below = grid.rows.slice(i + 1, i + 4);
    if (below.some((r) => new Set(recognized(kind, r.cells, section)).size >= 2)) starts.push(i);
  });
  if (starts.length < 2) return [grid];
  const tables: SheetGrid[] = [];
  if (starts[0] > 0 && grid.rows.slice(0, starts[0]).some((r) => new Set(recognized(kind, r.cells, null)).size >= 2))
    tables.push({ name: grid.name, rows: grid.rows.slice(0, starts[0]) });
  starts.forEach((start, k) => tables.push({ name: grid.name, rows: grid.rows.slice(start, starts[k + 1] ?? grid.rows.length) }));
  return tables;
}

/** Excel's letter for a 0-based column index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const NUMBERED_HEADING = /^[（(]?[一二三四五六七八九十]+[、.．)）]/;

/**
 * The item rows under the header. Empty rows (trailing ones included) are skipped; a row whose
 * cells all hold one text (a merged row) or that starts “一、…” is a heading: when it names a
 * section (基本履职…) or a power category (行政许可…) the rows under it that leave that column
 * empty belong to it.
 */
export function itemRows(
  grid: SheetGrid,
  kind: ListKind,
  header: SheetHeader,
  section: ListSection | null = null,
): { rows: SheetItemRow[]; problems: SheetProblem[]; warnings: SheetProblem[] } {
  const rows: SheetItemRow[] = [];
  const problems: SheetProblem[] = [];
  const warnings: SheetProblem[] = [];
  const groupField = groupFieldOf(kind);
  const hasGroupColumn = header.columns.some((c) => c.field === groupField);
  const groupLabels = labelsOf(groupField).sort((a, b) => b.length - a.length);
  // A sheet of one part: its rows belong to it unless a 清单部分 cell or a heading row says otherwise.
  let group: string | null = section ? SECTION_LABEL[section] : null;
  let ungrouped: number | null = null;
  for (const gridRow of grid.rows.slice(header.dataStart)) {
    const texts = gridRow.cells.map((c) => c.trim()).filter(Boolean);
    if (!texts.length) continue;
    if (new Set(texts).size === 1 && (texts.length > 1 || NUMBERED_HEADING.test(texts[0]))) {
      const label = groupLabels.find((l) => texts[0].includes(l) || (l === '上级部门收回' && texts[0].includes('收回')));
      if (label) group = label;
      else warnings.push({ row: gridRow.number, column: null, message: `“${texts[0].slice(0, 40)}”看作分段标题，未作为事项导入` });
      continue;
    }
    const values: Partial<Record<SheetField, string>> = {};
    for (const col of header.columns) values[col.field] = gridRow.cells[col.index] ?? '';
    if (!header.columns.some((c) => values[c.field]!.trim() !== '')) continue; // only a 序号 or unknown columns: no item
    if (group && !values[groupField]?.trim()) values[groupField] = group;
    if (!hasGroupColumn && !group) ungrouped ??= gridRow.number;
    rows.push({ row: gridRow.number, sheet: grid.name, input: rowToItemInput(values) });
  }
  if (ungrouped !== null) {
    const name = standardHeader(kind, groupField);
    problems.push({
      row: header.rowNumbers[header.rowNumbers.length - 1],
      column: name,
      message: `缺少必填列「${name}」，请在表头中添加该列（或在事项前加分段标题行，如“一、${kind === 'RESPONSIBILITY' ? '基本履职事项' : '行政许可'}”）`,
    });
  }
  return { rows, problems, warnings };
}

const groupFieldOf = (kind: ListKind): SheetField => (kind === 'RESPONSIBILITY' ? 'section' : 'category');
