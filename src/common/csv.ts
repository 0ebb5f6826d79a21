import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** Rows of an RFC 4180 CSV with one header row, as objects keyed by trimmed header. BOM tolerated. */
export function readCsvRecords(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ''), {
    columns: (header: string[]) => header.map((h) => h.trim()),
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as Record<string, string>[];
}

// A cell Excel would run as a formula when it opens a CSV: a leading tab keeps it text (CWE-1236);
// the importer trims it away, so a round trip is unchanged.
const FORMULA_START = /^[=+\-@]/;

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
    cast: { string: (value) => (FORMULA_START.test(value) ? `\t${value}` : value) },
  });
}
