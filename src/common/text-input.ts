/**
 * The checks every text a client sends goes through before it is stored: length, invisible or
 * invalid characters, and fragments of markup or SQL that have no place in a duty list.
 *
 * SQL is always sent with parameters and the API answers JSON, so such fragments would be stored
 * harmlessly; they are refused anyway (defence in depth, and what a 等保 assessment probes for):
 * a list is read by clerks in other systems that may not escape what they show.
 */

// C0 controls other than tab and line breaks, DEL, C1 controls, noncharacters, and UTF-16 halves
// without their other half (JSON can carry "\ud800"; PostgreSQL would store U+FFFD instead).
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Bidirectional overrides and isolates reorder what a reader sees ("Trojan source").
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
// Line breaks and tabs: allowed in free text, not in names and codes.
const LINE_BREAK = /[\t\n\r\u2028\u2029\u0085]/;

const MARKUP = [
  /<\s*\/?\s*[a-z!?][^<>]*>/i, // an HTML/XML tag: <script>, </b>, <!-- -->, <img src=x onerror=…>
  /<\s*(script|iframe|object|embed|svg|img|style|link|meta)\b/i, // the start of a dangerous tag, even unclosed
  /\bjavascript\s*:/i,
  /\bon[a-z]{3,}\s*=/i, // onerror=, onload=
];
const SQL = [
  /;\s*(drop|delete|insert|update|alter|truncate|create|grant|revoke|exec|execute|shutdown|copy)\b/i,
  /\bunion\s+(all\s+)?select\b/i,
  /'\s*(or|and)\s+('|\d|true|false)/i, // ' OR '1'='1
  /'\s*(--|#|\/\*)/, // a quote closed, then a comment
  /\/\*[\s\S]*?\*\//, // /* comment */
  /\b(pg_sleep|sleep|benchmark|waitfor\s+delay|xp_cmdshell|pg_read_file|lo_import)\s*\(/i,
];

// Characters that show nothing (zero-width spaces and joiners, soft hyphen, BOM, blank fillers) and
// direction marks, overrides and isolates: a name with one beside the real one looks the same.
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]/g;

/** Text without the characters that show nothing or only turn the text around, trimmed. */
export const withoutInvisible = (value: string): string => value.replace(INVISIBLE, '').trim();

/**
 * A name as it is compared: NFKC (full-width letters and digits, compatibility and radical forms
 * of ideographs become the ordinary ones), without invisible characters, trimmed.
 */
export const normalizeName = (value: string): string => withoutInvisible(value.normalize('NFKC'));

/** Control characters, noncharacters or lone UTF-16 halves: what no text of ours may contain (passwords included). */
export const hasInvalidCharacters = (value: string) => INVALID.test(value);

export type TextKind =
  /** one line: names, titles, numbers of documents */
  | 'line'
  /** several lines: descriptions, duties, opinions, legal bases */
  | 'text';

export interface TextRules {
  max: number;
  kind?: TextKind;
  required?: boolean;
}

/** What is wrong with a text, in Chinese for the clerk; null when it is acceptable. */
export function textProblem(value: string, rules: TextRules): string | null {
  if (value.length > rules.max) return `不能超过${rules.max}个字符（现为${value.length}个）`;
  if (INVALID.test(value)) return '含有不可见的控制字符或无效字符';
  if (BIDI.test(value)) return '含有改变文字方向的控制字符';
  if ((rules.kind ?? 'line') === 'line' && LINE_BREAK.test(value)) return '不能换行或含制表符';
  if (MARKUP.some((re) => re.test(value))) return '不能含有 HTML 标记或脚本';
  if (SQL.some((re) => re.test(value))) return '含有疑似数据库语句的片段';
  return null;
}

/** A checked, trimmed text or null when empty; the problem otherwise. */
export function checkText(value: unknown, rules: TextRules): { ok: true; value: string | null } | { ok: false; problem: string } {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    return rules.required ? { ok: false, problem: '不能为空' } : { ok: true, value: null };
  }
  if (typeof value !== 'string') return { ok: false, problem: '应为文本' };
  const trimmed = value.trim();
  const problem = textProblem(trimmed, rules);
  return problem ? { ok: false, problem } : { ok: true, value: trimmed };
}

/** A client's value quoted in an error message: short, whatever was sent. */
export const clip = (value: unknown, max = 40): string => {
  const s = String(value);
  return s.length > max ? `${s.slice(0, max)}…（共${s.length}个字符）` : s;
};
