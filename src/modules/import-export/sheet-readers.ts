import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { unneutralizeCell } from '../../common/csv.js';

/**
 * Spreadsheet files as grids of text cells, whatever wrote them: rows keep the number a clerk
 * sees in Excel (CSV: the record's number, one per row however many lines its cells hold).
 */
export interface GridRow {
  number: number;
  cells: string[];
}

export interface SheetGrid {
  /** Worksheet name (xlsx); null for CSV. */
  name: string | null;
  rows: GridRow[];
}

/** A file that cannot be read as a spreadsheet at all, with where (row) when known. */
export class SheetReadError extends Error {
  constructor(
    message: string,
    readonly row: number | null = null,
  ) {
    super(message);
  }
}

const DELIMITERS = [',', '\t', ';'] as const;

/** Records of a CSV text, counted without parsing the cells: quoted line breaks stay inside their record. */
export function countCsvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  let content = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) quoted = !quoted;
    else if (!quoted && (c === 10 || c === 13)) {
      if (content) records++;
      content = false;
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 44 /* , */) content = true;
  }
  return records + (content ? 1 : 0);
}

/** The delimiter of the first line: Excel writes commas, its "Unicode text" tabs, some locales semicolons. */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, 4096).split(/\r?\n/, 1)[0] ?? '';
  const counts = DELIMITERS.map((d) => firstLine.split(d).length - 1);
  const best = Math.max(...counts);
  return best === 0 ? ',' : DELIMITERS[counts.indexOf(best)];
}

export function readCsvGrid(text: string): SheetGrid {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (e) {
    const err = e as { code?: string; lines?: number; records?: number };
    const row = typeof err.records === 'number' ? err.records + 1 : null;
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') throw new SheetReadError('引号未闭合：某个以英文双引号开头的单元格没有结束的双引号，请检查该行及其后的内容', row);
    throw new SheetReadError(`无法按 CSV 读取：${(e as Error).message}`, row);
  }
  // One leading apostrophe of a neutralised cell goes (see common/csv.ts): export → import is
  // unchanged. Not in .xlsx: its cells are typed values, written as they are and read as they are.
  return { name: null, rows: records.map((cells, i) => ({ number: i + 1, cells: cells.map(unneutralizeCell) })) };
}

/** Every visible worksheet with content, in workbook order. */
export async function readXlsxGrids(buf: Buffer): Promise<SheetGrid[]> {
  // exceljs and its dependencies (~600 files) load with the first spreadsheet, not at start-up.
  const workbook = new (await import('exceljs')).default.Workbook();
  try {
    await workbook.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new SheetReadError('无法读取该 .xlsx 文件（文件损坏，或不是 Excel 工作簿）：请用 Excel 打开后重新另存为 .xlsx');
  }
  const grids: SheetGrid[] = [];
  for (const sheet of workbook.worksheets) {
    if (sheet.state && sheet.state !== 'visible') continue;
    const rows: GridRow[] = [];
    const width = sheet.columnCount;
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
      if (cells.some((t) => t.trim() !== '')) rows.push({ number, cells });
    });
    if (rows.length) grids.push({ name: sheet.name, rows });
  }
  return grids;
}

/** A cell's value as the text Excel shows for it (formulas: their last computed result). */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, value.getUTCHours() || value.getUTCMinutes() ? 16 : 10).replace('T', ' ');
  const v = value as unknown as Record<string, unknown>;
  if (Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return cellText(v.result as ExcelJS.CellValue);
  if ('hyperlink' in v) return cellText(v.text as ExcelJS.CellValue);
  if ('error' in v) return '';
  return '';
}
