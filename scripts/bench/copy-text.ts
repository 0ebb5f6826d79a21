/**
 * Values in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes),
 * for bulk loading with `COPY … FROM STDIN`.
 */
export const COPY_NULL = '\\N';

/** A text value: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return COPY_NULL;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export const copyBool = (value: boolean) => (value ? 't' : 'f');
export const copyInt = (value: number | null | undefined) => (value === null || value === undefined ? COPY_NULL : String(value));

/** One line of COPY text from already-escaped fields. */
export const copyLine = (fields: string[]) => `${fields.join('\t')}\n`;
