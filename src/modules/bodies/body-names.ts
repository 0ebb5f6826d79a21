import { normalizeName } from '../../common/text-input.js';

/**
 * Closest known bodies for a name a list writes that the county's catalogue does not have
 * (`宜兴市环保局` → `无锡市宜兴生态环境局`). Pure: the service hands in the county's bodies, their
 * recorded aliases and the names of the regions above and in the county.
 *
 * The measure compares the *cores* of two names: NFKC, without spaces and punctuation, without the
 * names of regions (江苏省, 无锡市, 宜兴市, 宜兴…: a county body is written with or without them), and with
 * the department names of before the 2018–2019 institutional reform written as today's
 * (环保局 → 生态环境局, 安监局 → 应急管理局, 国土局 → 自然资源和规划局…; FORMER_NAMES). Two cores are
 * compared by the Sørensen–Dice coefficient of their character bigrams (single characters for
 * one-character cores); a shared kind of organ (局, 委员会, 大队…) at the end counts too.
 */

/** Words that older or shorter names use, and what the department is called today. Longest first when applied. */
export const FORMER_NAMES: readonly (readonly [string, string])[] = [
  ['环境保护', '生态环境'],
  ['环保', '生态环境'],
  ['国土资源', '自然资源和规划'],
  ['国土', '自然资源和规划'],
  ['规划', '自然资源和规划'],
  ['自然资源', '自然资源和规划'],
  ['安全生产监督管理', '应急管理'],
  ['安全生产监管', '应急管理'],
  ['安监', '应急管理'],
  ['工商行政管理', '市场监督管理'],
  ['工商', '市场监督管理'],
  ['质量技术监督', '市场监督管理'],
  ['质监', '市场监督管理'],
  ['食品药品监督管理', '市场监督管理'],
  ['食药监', '市场监督管理'],
  ['市场监管', '市场监督管理'],
  ['卫生和计划生育', '卫生健康'],
  ['卫生计生', '卫生健康'],
  ['卫计', '卫生健康'],
  ['卫健', '卫生健康'],
  ['农业委员会', '农业农村局'],
  ['农委', '农业农村局'],
  ['农林', '农业农村'],
  ['城市管理行政执法', '城市管理'],
  ['城管', '城市管理'],
  ['住建', '住房和城乡建设'],
  ['建设局', '住房和城乡建设局'],
  ['人社', '人力资源和社会保障'],
  ['水务', '水利'],
  ['发改', '发展和改革'],
  ['交通局', '交通运输局'],
  ['公安消防', '消防救援'],
  ['消防大队', '消防救援大队'],
  ['执法队', '执法大队'],
  ['村委会', '村民委员会'],
  ['居委会', '居民委员会'],
  ['政府', '人民政府'],
];

const ORGAN_ENDINGS = ['委员会', '大队', '中队', '中心', '派出所', '人民政府', '办公室', '局', '所', '站', '队', '办', '委'];

const PUNCTUATION = /[\s\p{P}\p{S}]/gu;

/** Region names as lists write them: 宜兴市 and 宜兴, 江苏省 and 江苏, 张渚镇 and 张渚. */
export function regionWords(regionNames: readonly string[]): string[] {
  const words = new Set<string>();
  for (const raw of regionNames) {
    const name = normalizeName(raw).replace(PUNCTUATION, '');
    if (!name) continue;
    words.add(name);
    const short = name.replace(/(自治县|自治州|特别行政区|省|市|县|区|镇|乡|街道)$/, '');
    if (short.length >= 2) words.add(short);
  }
  return [...words].sort((a, b) => b.length - a.length);
}

// Today's names map to themselves, so that a longer current name is read whole before a former word inside it.
const REPLACEMENTS: readonly (readonly [string, string])[] = [...FORMER_NAMES, ...[...new Set(FORMER_NAMES.map(([, now]) => now))].map((now) => [now, now] as const)].sort(
  (a, b) => b[0].length - a[0].length,
);

/** The core of a body's name that the measure compares (see the module comment). */
export function nameCore(name: string, regions: readonly string[]): string {
  let core = normalizeName(name).replace(PUNCTUATION, '');
  for (const word of regions) core = core.split(word).join('');
  // One pass, left to right, longest word first: a replacement is never replaced again.
  let out = '';
  for (let i = 0; i < core.length; ) {
    const hit = REPLACEMENTS.find(([word]) => core.startsWith(word, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else out += core[i++];
  }
  return out || normalizeName(name);
}

function grams(s: string): Map<string, number> {
  const out = new Map<string, number>();
  const chars = [...s];
  const n = chars.length < 2 ? 1 : 2;
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Sørensen–Dice coefficient of two strings' character bigrams, 0…1. */
export function dice(a: string, b: string): number {
  if (a === b) return 1;
  const ga = grams(a);
  const gb = grams(b);
  let shared = 0;
  let total = 0;
  for (const [g, n] of ga) {
    shared += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}

const endingOf = (core: string) => ORGAN_ENDINGS.find((e) => core.endsWith(e)) ?? null;

/** How close two names are, 0…1, over their cores. */
export function nameSimilarity(a: string, b: string, regions: readonly string[]): number {
  const ca = nameCore(a, regions);
  const cb = nameCore(b, regions);
  if (ca === cb) return 1;
  const ea = endingOf(ca);
  const eb = endingOf(cb);
  const stem = (c: string, e: string | null) => (e && c.length > e.length ? c.slice(0, -e.length) : c);
  const score = dice(stem(ca, ea), stem(cb, eb));
  // The same kind of organ weighs a little; another kind a little less.
  return Math.min(1, score * 0.85 + (ea && ea === eb ? 0.15 : 0));
}

export interface NamedCandidate {
  /** The body's name, as the suggestion shows it. */
  name: string;
  /** Names that lead to it: its own, and its recorded aliases. */
  names: readonly string[];
}

/** The closest bodies to `name`, best first, at most `limit`, those at least `threshold` close. */
export function closestNames(name: string, candidates: readonly NamedCandidate[], regions: readonly string[], limit = 3, threshold = 0.5): string[] {
  const scored = candidates
    .map((c) => ({ name: c.name, score: Math.max(...c.names.map((n) => nameSimilarity(name, n, regions))) }))
    .filter((c) => c.score >= threshold)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh'));
  return scored.slice(0, limit).map((c) => c.name);
}
