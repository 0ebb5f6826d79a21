/** The 12-digit statistical division codes (省2 市2 县2 乡3 村3), as pure functions. */

const SHORT_FORMS: Record<number, string> = { 2: '0000000000', 4: '00000000', 6: '000000', 9: '000', 12: '' };

/** Pads a level's short form (32, 3202, 320282, 320282100) to the 12-digit code; null when malformed. */
export function normalizeRegionCode(input: string): string | null {
  const code = input.trim();
  if (!/^\d+$/.test(code) || !(code.length in SHORT_FORMS)) return null;
  return code + SHORT_FORMS[code.length];
}

/** The 12-digit code of the county a code lies in (a county's own code for a county). */
export const countyOf = (code: string) => `${code.slice(0, 6)}000000`;

/** The significant prefix of a 12-digit code: 32 / 3202 / 320282 / 320282100 / 320282100208. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}

/** The codes a region covers (itself and everything under it), as an inclusive range for `BETWEEN`. */
export function regionCodeRange(code: string): [low: string, high: string] {
  const prefix = regionPrefix(code);
  return [prefix.padEnd(12, '0'), prefix.padEnd(12, '9')];
}
