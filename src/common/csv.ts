import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** Rows of an RFC 4180 CSV with one header row, as objects keyed by trimmed header. BOM tolerated. */
export function readCsvRecords(text: string): Record<string, string>[] {
  const records = parse(text.replace(/^\uFEFF/, ''), {
    columns: (header: string[]) => header.map((h) => h.trim()),
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as Record<string, string>[];
  for (const record of records) for (const [key, value] of Object.entries(record)) record[key] = unneutralizeCell(value).trim();
  return records;
}

/**
 * CSV injection (CWE-1236, OWASP "CSV Injection"): a cell that starts with = + - @, a tab or a
 * carriage return may be run as a formula by a spreadsheet opening the file. Such a cell is
 * written with a leading apostrophe, which the spreadsheet shows as text; so is every line of a
 * multi-line cell (tools that read a CSV line by line see each line as a start). A cell or line
 * that already starts with apostrophes before one of those characters gets one more, so the
 * reader's rule — strip one leading apostrophe before (apostrophes and) one of them, at the start
 * of the cell and of each of its lines — gives back exactly what was written. Both patterns are
 * anchored at a line start: linear.
 */
const NEEDS_APOSTROPHE = /(^|\n)('*[=+\-@\t\r])/g;
const NEUTRALIZED = /(^|\n)'('*[=+\-@\t\r])/g;

export const neutralizeCell = (value: string): string => value.replace(NEEDS_APOSTROPHE, "$1'$2");
export const unneutralizeCell = (value: string): string => value.replace(NEUTRALIZED, '$1$2');

/**
 * Rows as the CSV a clerk opens in Excel on Chinese Windows: UTF-8 with a byte-order mark, RFC 4180
 * quoting (also of cells with line breaks or leading/trailing spaces), CRLF between rows, and no
 * cell that Excel would run as a formula.
 */
export function writeCsvRecords(rows: string[][]): string {
  return stringify(rows, {
    bom: true,
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]|^\s|\s$/,
    cast: { string: neutralizeCell },
  });
}
