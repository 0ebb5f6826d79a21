// Chinese numerals as used in article numbering (第一百一十九条): 0..9999.

const DIGITS = '零一二三四五六七八九';
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const MAX = 9999;

/** Full-width digits (０-９) to ASCII, so both spellings parse alike. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

/**
 * Parses 一千零二十三 / 十五 / 两百 / 65 / ６５ into a number (0..9999); null on anything else.
 * Chinese input is accepted only in its standard written form (checked by round-tripping through
 * toChineseNumber), so garbage such as 一二 or 十十 is rejected rather than guessed at.
 */
export function parseChineseNumber(s: string): number | null {
  const t = toAsciiDigits(s.trim());
  if (t === '') return null;
  if (/^[0-9]+$/.test(t)) {
    const n = Number(t);
    return n <= MAX ? n : null;
  }
  if (!/^[零〇一二两三四五六七八九十百千]+$/.test(t)) return null;
  if (t === '零' || t === '〇') return 0;

  // Accepted variants of the canonical form: 〇 for 零, 两 before 百/千, a leading 一十 (一十五).
  let canon = t.replace(/〇/g, '零').replace(/两(?=[百千])/g, '二');
  if (canon.includes('两')) return null;
  if (canon.startsWith('一十')) canon = canon.slice(1);

  // Lenient positional evaluation; the round trip below rejects malformed strings.
  let total = 0;
  let digit = -1; // -1: no digit pending
  for (const ch of canon) {
    const unit = UNITS[ch];
    if (unit !== undefined) {
      total += (digit < 0 ? 1 : digit) * unit;
      digit = -1;
    } else {
      digit = DIGITS.indexOf(ch);
    }
  }
  if (digit > 0) total += digit;
  if (total < 1 || total > MAX) return null;
  return toChineseNumber(total) === canon ? total : null;
}

/** Standard form of 1..9999: 10 → 十, 110 → 一百一十, 1023 → 一千零二十三. */
export function toChineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX) throw new RangeError(`toChineseNumber: ${n} is not an integer in 1..${MAX}`);
  const places: Array<[number, string]> = [
    [Math.floor(n / 1000) % 10, '千'],
    [Math.floor(n / 100) % 10, '百'],
    [Math.floor(n / 10) % 10, '十'],
    [n % 10, ''],
  ];
  let out = '';
  let gap = false; // a zero place between non-zero places is spoken once as 零
  for (const [d, unit] of places) {
    if (d === 0) {
      gap = out !== '';
      continue;
    }
    if (gap) out += '零';
    gap = false;
    out += DIGITS[d] + unit;
  }
  // 10..19 drop the leading 一 (十五, not 一十五); 110 keeps it (一百一十).
  return out.startsWith('一十') ? out.slice(1) : out;
}
