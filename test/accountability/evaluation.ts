import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One case of the evaluation set (see README.md beside this file). */
export interface EvalCase {
  question: string;
  regionCode: string;
  expected: string[];
  asOf?: string;
  note?: string;
}

export interface EvalFigures {
  cases: number;
  answerable: number;
  hitAt1: number;
  hitAt3: number;
  noMatch: number;
  noMatchAccuracy: number;
  misses: { question: string; expected: string[]; got: string[] }[];
}

/** Given a question, the item codes answered, best first. */
export type Ask = (c: EvalCase) => Promise<string[]>;

export function loadEvalSet(name = 'eval-set.json'): EvalCase[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'test', 'accountability', name);
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
    if (path.dirname(dir) === dir) throw new Error(`${name} not found`);
  }
}

/** hit@1 and hit@3 over answerable cases; no-match accuracy over cases that must answer nothing. */
export async function evaluate(cases: EvalCase[], ask: Ask): Promise<EvalFigures> {
  let hit1 = 0;
  let hit3 = 0;
  let noMatchRight = 0;
  const misses: EvalFigures['misses'] = [];
  for (const c of cases) {
    const got = await ask(c);
    if (c.expected.length === 0) {
      if (got.length === 0) noMatchRight++;
      else misses.push({ question: c.question, expected: [], got: got.slice(0, 3) });
      continue;
    }
    if (got.length && c.expected.includes(got[0])) hit1++;
    else misses.push({ question: c.question, expected: c.expected, got: got.slice(0, 3) });
    if (got.slice(0, 3).some((g) => c.expected.includes(g))) hit3++;
  }
  const answerable = cases.filter((c) => c.expected.length).length;
  const noMatch = cases.length - answerable;
  return {
    cases: cases.length,
    answerable,
    hitAt1: hit1 / answerable,
    hitAt3: hit3 / answerable,
    noMatch,
    noMatchAccuracy: noMatch ? noMatchRight / noMatch : 1,
    misses,
  };
}

export const WHO_IS_ACCOUNTABLE = `query($q: String!, $r: String!, $d: Date) {
  whoIsAccountable(question: $q, regionCode: $r, asOf: $d, first: 5) { answers { item { itemCode } } }
}`;

/**
 * The baseline: plain substring search over item names. Items in force are ranked by the longest
 * run of the question's characters found in their name (at least two), as a name filter would.
 */
export function substringRank(question: string, items: { itemCode: string; name: string }[]): string[] {
  const longest = (name: string) => {
    let best = 0;
    for (let i = 0; i < question.length; i++)
      for (let j = i + 2; j <= question.length; j++) if (name.includes(question.slice(i, j))) best = Math.max(best, j - i);
    return best;
  };
  return items
    .map((i) => ({ code: i.itemCode, score: longest(i.name) }))
    .filter((x) => x.score >= 2)
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code))
    .map((x) => x.code);
}

export const formatFigures = (label: string, f: EvalFigures) =>
  `${label}: hit@1 ${(f.hitAt1 * 100).toFixed(1)}%  hit@3 ${(f.hitAt3 * 100).toFixed(1)}%  no-match ${(f.noMatchAccuracy * 100).toFixed(1)}%  (${f.answerable} answerable, ${f.noMatch} must match nothing)`;
