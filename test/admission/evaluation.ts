import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One case of an admission evaluation set (README.md beside this file). */
export interface AdmissionCase {
  id?: string;
  issuingBody: string;
  targets: string[];
  title: string;
  content: string;
  requestedStart: string;
  deadline: string | null;
  reporting: {
    frequency: string;
    sameDay: boolean;
    forms: string[];
    photos: boolean;
    meetings: boolean;
    responsibilityLetter: boolean;
    assessmentWeight: number | null;
  };
  claimedBasis: string | null;
  expected: Record<string, { verdict: string; itemCodes: string[]; requesterIsLead: boolean | null }>;
  expectedFlags: string[];
  note?: string;
}

/** What the registry answered for one township of a case. */
export interface TargetAnswer {
  verdict: string;
  confidence: string;
  requesterIsLead: boolean | null;
  itemCodes: string[];
}

/** What the registry answered for a case: per township, and the flags; or the error it gave. */
export interface CaseAnswer {
  targets: Record<string, TargetAnswer>;
  flags: string[];
  error?: string;
}

/**
 * The sets' flag names and the API's. They are the same today; a set written with other names
 * is mapped here rather than in the API.
 */
export const FLAG_NAME_MAP: Record<string, string> = {
  DAILY_REPORTING: 'DAILY_REPORTING',
  WEEKLY_REPORTING: 'WEEKLY_REPORTING',
  SAME_DAY_REPORTING: 'SAME_DAY_REPORTING',
  DUPLICATE_FORMS: 'DUPLICATE_FORMS',
  PHOTO_EVIDENCE: 'PHOTO_EVIDENCE',
  RESPONSIBILITY_LETTER: 'RESPONSIBILITY_LETTER',
  MEETINGS: 'MEETINGS',
};

export interface AdmissionFigures {
  cases: number;
  targets: number;
  verdictAccuracy: number;
  /** Over targets whose expected item list is not empty: the deciding item is one of them. */
  itemAccuracy: number;
  itemTargets: number;
  /** Over targets where the set says whether the requester is the listed body. */
  requesterAccuracy: number;
  requesterTargets: number;
  flagPrecision: number;
  flagRecall: number;
  /** Verdicts marked HIGH and LOW confidence, and how many of each were right. */
  high: { count: number; right: number };
  low: { count: number; right: number };
  /** Verdict confusion: expected → answered → count. */
  confusion: Record<string, Record<string, number>>;
  misses: string[];
}

export function loadAdmissionSet(name: string): AdmissionCase[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'test', 'admission', name);
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
    if (path.dirname(dir) === dir) throw new Error(`${name} not found`);
  }
}

const ratio = (a: number, b: number) => (b ? a / b : 1);

export function score(cases: AdmissionCase[], answers: CaseAnswer[]): AdmissionFigures {
  const f: AdmissionFigures = {
    cases: cases.length, targets: 0, verdictAccuracy: 0, itemAccuracy: 0, itemTargets: 0, requesterAccuracy: 0, requesterTargets: 0,
    flagPrecision: 0, flagRecall: 0, high: { count: 0, right: 0 }, low: { count: 0, right: 0 }, confusion: {}, misses: [],
  };
  let verdictsRight = 0;
  let itemsRight = 0;
  let requesterRight = 0;
  let flagHits = 0;
  let flagsAnswered = 0;
  let flagsExpected = 0;
  cases.forEach((c, i) => {
    const answer = answers[i];
    const label = `${c.id ? `${c.id} ` : ''}${c.title}（${c.issuingBody}，${c.requestedStart}）`;
    if (answer.error) f.misses.push(`${label}: error ${answer.error}`);
    const expectedFlags = new Set(c.expectedFlags.map((k) => FLAG_NAME_MAP[k] ?? k));
    const got = new Set(answer.flags);
    flagHits += [...got].filter((k) => expectedFlags.has(k)).length;
    flagsAnswered += got.size;
    flagsExpected += expectedFlags.size;
    if ([...got].some((k) => !expectedFlags.has(k)) || [...expectedFlags].some((k) => !got.has(k)))
      f.misses.push(`${label}: flags expected ${[...expectedFlags].join(',') || '-'} got ${[...got].join(',') || '-'}`);
    for (const [township, expected] of Object.entries(c.expected)) {
      f.targets++;
      const t = answer.targets[township];
      const verdict = t?.verdict ?? 'NO_ANSWER';
      (f.confusion[expected.verdict] ??= {})[verdict] = (f.confusion[expected.verdict][verdict] ?? 0) + 1;
      const right = verdict === expected.verdict;
      if (right) verdictsRight++;
      if (t) {
        const bucket = t.confidence === 'HIGH' ? f.high : f.low;
        bucket.count++;
        if (right) bucket.right++;
      }
      const itemRight = expected.itemCodes.length ? !!t?.itemCodes[0] && expected.itemCodes.includes(t.itemCodes[0]) : true;
      if (expected.itemCodes.length) {
        f.itemTargets++;
        if (itemRight) itemsRight++;
      }
      if (expected.requesterIsLead !== null && expected.requesterIsLead !== undefined) {
        f.requesterTargets++;
        if (t?.requesterIsLead === expected.requesterIsLead) requesterRight++;
      }
      if (!right || !itemRight)
        f.misses.push(`${label} @${township}: expected ${expected.verdict} ${expected.itemCodes.join('|') || '-'} got ${verdict} ${t?.confidence ?? ''} ${t?.itemCodes.slice(0, 3).join(',') || '-'}`);
    }
  });
  f.verdictAccuracy = ratio(verdictsRight, f.targets);
  f.itemAccuracy = ratio(itemsRight, f.itemTargets);
  f.requesterAccuracy = ratio(requesterRight, f.requesterTargets);
  f.flagPrecision = ratio(flagHits, flagsAnswered);
  f.flagRecall = ratio(flagHits, flagsExpected);
  return f;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatAdmissionFigures(name: string, f: AdmissionFigures): string {
  return [
    `${name}: ${f.cases} requests, ${f.targets} township verdicts`,
    `  verdict accuracy   ${pct(f.verdictAccuracy)}`,
    `  item accuracy      ${pct(f.itemAccuracy)}  (deciding item among the expected, ${f.itemTargets} targets with items)`,
    `  requester is lead  ${pct(f.requesterAccuracy)}  (${f.requesterTargets} targets)`,
    `  flag precision     ${pct(f.flagPrecision)}   recall ${pct(f.flagRecall)}`,
    `  confidence HIGH    ${f.high.count} verdicts, ${pct(ratio(f.high.right, f.high.count))} right;  LOW (left to a person) ${f.low.count}, ${pct(ratio(f.low.right, f.low.count))} right`,
    `  confusion (expected → answered): ${Object.entries(f.confusion).map(([e, got]) => `${e} → ${Object.entries(got).map(([g, n]) => `${g}:${n}`).join(' ')}`).join('; ')}`,
  ].join('\n');
}
