import { parse } from 'csv-parse/sync';

/** Rows of an RFC 4180 CSV with one header row, as objects keyed by trimmed header. BOM tolerated. */
export function readCsvRecords(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ''), {
    columns: (header: string[]) => header.map((h) => h.trim()),
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as Record<string, string>[];
}
