import fs from 'node:fs';
import { projectFile } from '../../common/project-files.js';

/**
 * Grouping the items in force of a county's townships into matters (事项): the same matter listed
 * by several townships, whatever each one called it. Pure logic over rows already read.
 *
 * Evidence, strongest first, merged greedily (union of clusters):
 * 1. an editor's link (`linked`), which nothing overrides but an unlink of the same pair;
 * 2. the same normalised name (power items: with their 子项) — also within one township, which is
 *    how two items of one township leading the same matter show up;
 * 3. the same concept of the concept lexicon (the longest official term found in both names);
 * 4. shared citations: the same provisions, Jaccard similarity of the cited provisions ≥ 0.5,
 *    the most similar pairs first.
 * Evidence 3 and 4 join clusters of different townships only (a township's two items are never
 * one matter by a guess), and an editor's unlink keeps two items apart whatever the evidence.
 */

export interface MatterItem {
  /** `${regionCode}|${itemCode}`: an item's identity across versions within the county. */
  key: string;
  regionCode: string;
  itemCode: string;
  name: string;
  subItem: string | null;
  /** Resolved provisions cited (ids). */
  provisionIds: string[];
}

export interface MatterLink {
  a: string;
  b: string;
  linked: boolean;
}

export interface Matter<T extends MatterItem> {
  /** Stable while its items stay: the smallest item key. */
  id: string;
  /** The name most of its items use. */
  name: string;
  items: T[];
  /** What joined the items (for the reader): MANUAL, NAME, CONCEPT, CITATIONS. */
  evidence: MatterEvidence[];
}

export type MatterEvidence = 'MANUAL' | 'NAME' | 'CONCEPT' | 'CITATIONS';

/** Punctuation, brackets, spaces and the like: two spellings of one name differ only there. */
const NOISE = /[\s\p{P}\p{S}]/gu;

const normalised = new Map<string, string>();
const clean = (s: string): string => {
  let n = normalised.get(s);
  if (n === undefined) {
    if (normalised.size >= 100_000) normalised.clear();
    normalised.set(s, (n = s.normalize('NFKC').replace(NOISE, '')));
  }
  return n;
};

export function normaliseName(name: string, subItem: string | null = null): string {
  return subItem ? `${clean(name)}|${clean(subItem)}` : clean(name);
}

/** Shortest official term that may name a concept inside an item's name (two characters match too much). */
const MIN_TERM = 3;

export interface ConceptLexicon {
  /** official term (normalised) → concept name */
  terms: Map<string, string>;
  longest: number;
}

let lexicon: ConceptLexicon | null = null;

/** The concept lexicon of the accountability module (official terms only), read once. */
export function conceptLexicon(): ConceptLexicon {
  if (lexicon) return lexicon;
  const text = fs.readFileSync(projectFile('src/modules/accountability/data/concept-lexicon.tsv'), 'utf8');
  lexicon = parseConceptLexicon(text);
  return lexicon;
}

export function parseConceptLexicon(text: string): ConceptLexicon {
  const terms = new Map<string, string>();
  let longest = 0;
  let header = true;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (header) {
      header = false;
      continue;
    }
    const [, concept, official] = line.split('\t');
    if (!concept || !official) continue;
    for (const term of official.split('|')) {
      const t = normaliseName(term);
      if (t.length < MIN_TERM || terms.has(t)) continue; // a term of two concepts belongs to the first
      terms.set(t, concept);
      longest = Math.max(longest, t.length);
    }
  }
  return { terms, longest };
}

/** Names already looked up, per lexicon (lists repeat names across townships and requests). */
const conceptMemo = new WeakMap<ConceptLexicon, Map<string, string | null>>();
const MEMO_LIMIT = 100_000;

/** The concept whose official term is the longest found in the name; null when none is. */
export function conceptOf(name: string, lex: ConceptLexicon): string | null {
  let memo = conceptMemo.get(lex);
  if (!memo) conceptMemo.set(lex, (memo = new Map()));
  const known = memo.get(name);
  if (known !== undefined) return known;
  const found = lookUpConcept(name, lex);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(name, found);
  return found;
}

function lookUpConcept(name: string, lex: ConceptLexicon): string | null {
  const n = normaliseName(name);
  let best: string | null = null;
  let bestLength = 0;
  for (let start = 0; start < n.length; start++) {
    for (let len = Math.min(lex.longest, n.length - start); len >= Math.max(MIN_TERM, bestLength + 1); len--) {
      const concept = lex.terms.get(n.slice(start, start + len));
      if (concept) {
        best = concept;
        bestLength = len;
        break;
      }
    }
  }
  return best;
}

/** Citation pairs are not looked for through a provision cited by more than this many items per township on average (a catch-all article). */
const COMMON_PROVISION_FACTOR = 3;
const MIN_JACCARD = 0.5;

interface Cluster {
  keys: Set<string>;
  townships: Set<string>;
  blocked: Set<string>;
  evidence: Set<MatterEvidence>;
}

export function groupMatters<T extends MatterItem>(items: T[], links: MatterLink[], lex: ConceptLexicon = conceptLexicon()): Matter<T>[] {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const parent = new Map<string, string>();
  const clusters = new Map<string, Cluster>();
  for (const i of items) {
    parent.set(i.key, i.key);
    clusters.set(i.key, { keys: new Set([i.key]), townships: new Set([i.regionCode]), blocked: new Set(), evidence: new Set() });
  }
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = k;
    while (parent.get(c) !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  for (const l of links) {
    if (l.linked || !byKey.has(l.a) || !byKey.has(l.b)) continue;
    clusters.get(l.a)!.blocked.add(l.b);
    clusters.get(l.b)!.blocked.add(l.a);
  }
  const merge = (a: string, b: string, evidence: MatterEvidence, sameTownshipAllowed: boolean): void => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    const [ca, cb] = [clusters.get(ra)!, clusters.get(rb)!];
    if (!sameTownshipAllowed) {
      const [fewer, more] = ca.townships.size < cb.townships.size ? [ca.townships, cb.townships] : [cb.townships, ca.townships];
      for (const t of fewer) if (more.has(t)) return;
    }
    const [small, large] = ca.keys.size < cb.keys.size ? [ca, cb] : [cb, ca];
    for (const k of small.keys) if (large.blocked.has(k)) return;
    const [rSmall, rLarge] = small === ca ? [ra, rb] : [rb, ra];
    for (const k of small.keys) large.keys.add(k);
    for (const t of small.townships) large.townships.add(t);
    for (const k of small.blocked) large.blocked.add(k);
    for (const e of small.evidence) large.evidence.add(e);
    large.evidence.add(evidence);
    parent.set(rSmall, rLarge);
    clusters.delete(rSmall);
  };

  // 1. editors' links
  for (const l of links) if (l.linked && byKey.has(l.a) && byKey.has(l.b)) merge(l.a, l.b, 'MANUAL', true);

  // 2. the same name
  const byName = new Map<string, string[]>();
  for (const i of items) push(byName, normaliseName(i.name, i.subItem), i.key);
  for (const keys of byName.values()) for (let j = 1; j < keys.length; j++) merge(keys[0], keys[j], 'NAME', true);

  // 3. the same concept, between townships
  const byConcept = new Map<string, T[]>();
  for (const i of items) {
    const concept = conceptOf(i.subItem ? `${i.name}${i.subItem}` : i.name, lex);
    if (concept) push(byConcept, concept, i);
  }
  for (const group of byConcept.values()) {
    // between the clusters the group's items are in by now (the same name across townships is one already)
    const roots = [...new Set(group.map((i) => find(i.key)))];
    for (let x = 0; x < roots.length; x++) for (let y = x + 1; y < roots.length; y++) merge(roots[x], roots[y], 'CONCEPT', false);
  }

  // 4. shared citations, between townships, the most similar first
  const townships = new Set(items.map((i) => i.regionCode)).size;
  const byProvision = new Map<string, T[]>();
  for (const i of items) for (const p of new Set(i.provisionIds)) push(byProvision, p, i);
  const shared = new Map<string, number>();
  for (const group of byProvision.values()) {
    if (group.length > COMMON_PROVISION_FACTOR * townships) continue;
    for (let x = 0; x < group.length; x++)
      for (let y = x + 1; y < group.length; y++) {
        const [a, b] = [group[x], group[y]];
        if (a.regionCode === b.regionCode) continue;
        const pair = a.key < b.key ? `${a.key}\n${b.key}` : `${b.key}\n${a.key}`;
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
  }
  const pairs: { a: string; b: string; score: number }[] = [];
  for (const [pair, n] of shared) {
    const [a, b] = pair.split('\n');
    const score = n / (new Set(byKey.get(a)!.provisionIds).size + new Set(byKey.get(b)!.provisionIds).size - n);
    if (score >= MIN_JACCARD) pairs.push({ a, b, score });
  }
  pairs.sort((p, q) => q.score - p.score || (p.a + p.b < q.a + q.b ? -1 : 1));
  for (const p of pairs) merge(p.a, p.b, 'CITATIONS', false);

  const matters: Matter<T>[] = [];
  for (const c of clusters.values()) {
    const members = [...c.keys].sort().map((k) => byKey.get(k)!);
    matters.push({ id: members[0].key, name: commonestName(members), items: members, evidence: [...c.evidence].sort() });
  }
  return matters;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The name most items of a matter use; among equals, the shortest, then the first in order. */
function commonestName(items: MatterItem[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.name, (counts.get(i.name) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))[0][0];
}
