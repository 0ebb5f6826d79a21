import type { ListSection, PowerCategory } from './list-item.entity.js';

/**
 * Item codes for files that carry none (real 乡镇履行职责事项清单 number their rows by 序号 only).
 *
 * 1. A row without a code is matched to the item in force **by its normalised name** (NFKC, no
 *    spaces, no punctuation or brackets, Latin letters in lower case) **within its part** (the
 *    section of a responsibility list, the category of a power list), and keeps that item's code.
 *    When its part has no item of that name, an item of that name in another part is taken (the
 *    move shows in the diff) if it is the only one.
 * 2. A name that two items in force share, or two rows that match the same item, is an **error**
 *    naming the row: the office decides by filling in 事项编码 for those rows.
 * 3. A row that matches nothing is **new** and gets the next code of its part:
 *    `<county 6 digits>-<township 3 digits>-<part>-<sequence, 3 digits or more>`, part JB 基本履职,
 *    PH 配合履职, SH 上级部门收回 (power lists: XK 许可, CF 处罚, QZ 强制, ZS 征收, JF 给付, JC 检查,
 *    QR 确认, JL 奖励, CJ 裁决, QT 其他, GG 公共服务). The sequence follows the highest one the list
 *    has **ever** used with that prefix (every row of every version is kept, removed items
 *    included) and the codes the file itself names, so a removed item's code never comes back.
 * 4. A new row whose name is close to an item in force that no row matches (character-pair
 *    similarity ≥ 0.5, same part) is a **warning**: probably a rename, imported as new + removed;
 *    writing the old code in 事项编码 keeps the item.
 */

const PART_CODE: Record<ListSection | PowerCategory, string> = {
  BASIC: 'JB', COOPERATIVE: 'PH', RECLAIMED: 'SH',
  LICENSING: 'XK', PENALTY: 'CF', COERCION: 'QZ', LEVY: 'ZS', PAYMENT: 'JF', INSPECTION: 'JC', CONFIRMATION: 'QR',
  REWARD: 'JL', ADJUDICATION: 'CJ', OTHER: 'QT', PUBLIC_SERVICE: 'GG',
};

/** The prefix of new codes of a part of a township's list, or null for a part that is no known value. */
export function codePrefix(regionCode: string, part: string | null | undefined): string | null {
  const abbr = part ? PART_CODE[part as ListSection] : undefined;
  return abbr ? `${regionCode.slice(0, 6)}-${regionCode.slice(6, 9)}-${abbr}-` : null;
}

/** A name as matched: NFKC, no whitespace, punctuation, brackets or quotes, lower case. */
export function normalizeItemName(name: string): string {
  return name.normalize('NFKC').replace(/[\s\p{P}\p{S}]+/gu, '').toLowerCase();
}

/** Dice coefficient over character pairs of two normalised names (0…1). */
export function nameSimilarity(a: string, b: string): number {
  const pairs = (s: string) => {
    const m = new Map<string, number>();
    for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
    return m;
  };
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const pa = pairs(a);
  const pb = pairs(b);
  let common = 0;
  for (const [k, n] of pa) common += Math.min(n, pb.get(k) ?? 0);
  return (2 * common) / (a.length - 1 + b.length - 1);
}

export const RENAME_SIMILARITY = 0.5;

export interface ItemInForce {
  itemCode: string;
  name: string;
  /** section (responsibility) or category (power) */
  part: string | null;
}

export interface RowToCode {
  name: string;
  part: string | null;
  /** the code the row gives, if any */
  itemCode: string | null;
  /** where the row is, for messages (第5行, 「配合履职事项」表第5行) */
  where: string;
}

export interface CodeProblem {
  /** index of the row */
  index: number;
  level: 'error' | 'warning';
  message: string;
}

export interface CodeAssignment {
  /** the code of each row (the file's, a matched one, a new one), null when none could be given */
  codes: (string | null)[];
  /** how each code came: GIVEN by the file, MATCHED by name, NEW */
  how: ('GIVEN' | 'MATCHED' | 'NEW' | null)[];
  problems: CodeProblem[];
}

/**
 * Codes of a file's rows (see the rule above). `everUsed`: every code the list has had (any version,
 * removed items included). Pure: the import reads what it needs and reports the problems by row.
 */
export function assignItemCodes(regionCode: string, rows: RowToCode[], inForce: ItemInForce[], everUsed: Iterable<string>): CodeAssignment {
  const codes: (string | null)[] = rows.map((r) => r.itemCode || null);
  const how: CodeAssignment['how'] = rows.map((r) => (r.itemCode ? 'GIVEN' : null));
  const problems: CodeProblem[] = [];
  const given = new Set(rows.map((r) => r.itemCode).filter((c): c is string => !!c));
  const byName = new Map<string, ItemInForce[]>();
  for (const item of inForce) {
    if (given.has(item.itemCode)) continue; // claimed by a row that names its code
    const key = normalizeItemName(item.name);
    byName.set(key, [...(byName.get(key) ?? []), item]);
  }
  const partLabel = (part: string | null) => part ?? '';
  const claimedBy = new Map<string, number>();
  const described = (items: ItemInForce[]) => items.map((i) => `“${i.name}”（${i.itemCode}）`).join('、');

  rows.forEach((row, index) => {
    if (row.itemCode || !row.name.trim()) return;
    const candidates = byName.get(normalizeItemName(row.name)) ?? [];
    const samePart = candidates.filter((c) => partLabel(c.part) === partLabel(row.part));
    const pool = samePart.length ? samePart : candidates;
    if (pool.length > 1) {
      problems.push({ index, level: 'error', message: `事项“${row.name}”与现行清单中${pool.length}个事项同名：${described(pool)}，无法确定对应哪一个，请在「事项编码」列填写其编码` });
      return;
    }
    if (pool.length === 1) {
      const item = pool[0];
      const first = claimedBy.get(item.itemCode);
      if (first !== undefined) {
        problems.push({ index, level: 'error', message: `事项“${row.name}”与${rows[first].where}都对应现行事项“${item.name}”（${item.itemCode}），请在「事项编码」列填写编码以区分（新增事项可留空）` });
        return;
      }
      claimedBy.set(item.itemCode, index);
      codes[index] = item.itemCode;
      how[index] = 'MATCHED';
    }
  });

  // New rows: the next sequence of their part, after every code the list ever used and the file names.
  const highest = new Map<string, number>();
  const note = (code: string) => {
    const m = /^(.*-)(\d+)$/.exec(code);
    if (m) highest.set(m[1], Math.max(highest.get(m[1]) ?? 0, Number(m[2])));
  };
  for (const code of everUsed) note(code);
  for (const code of given) note(code);
  const unclaimed = inForce.filter((i) => !given.has(i.itemCode) && !claimedBy.has(i.itemCode));
  rows.forEach((row, index) => {
    if (codes[index] || !row.name.trim() || problems.some((p) => p.index === index)) return;
    const prefix = codePrefix(regionCode, row.part);
    if (!prefix) return; // the part itself is missing or wrong: validation names it
    const next = (highest.get(prefix) ?? 0) + 1;
    highest.set(prefix, next);
    codes[index] = `${prefix}${String(next).padStart(3, '0')}`;
    how[index] = 'NEW';
    const key = normalizeItemName(row.name);
    const close = unclaimed
      .filter((i) => partLabel(i.part) === partLabel(row.part))
      .map((i) => ({ i, score: nameSimilarity(key, normalizeItemName(i.name)) }))
      .filter((x) => x.score >= RENAME_SIMILARITY)
      .sort((a, b) => b.score - a.score);
    if (close.length)
      problems.push({
        index, level: 'warning',
        message: `事项“${row.name}”与现行事项${described(close.slice(0, 3).map((x) => x.i))}相近，可能是改名：现按新增事项（${codes[index]}）导入，原事项将被删除；如是同一事项改名，请在「事项编码」列填写原编码`,
      });
  });
  return { codes, how, problems };
}
