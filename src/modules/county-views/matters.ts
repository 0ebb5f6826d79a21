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

const EVIDENCE_BIT: Record<MatterEvidence, number> = { CITATIONS: 1, CONCEPT: 2, MANUAL: 4, NAME: 8 };
/** In the order `[...evidence].sort()` gives. */
const EVIDENCE_ORDER: MatterEvidence[] = ['CITATIONS', 'CONCEPT', 'MANUAL', 'NAME'];

/**
 * Union–find over item positions (a county holds thousands of items: sets and string keys per
 * item cost more than the grouping itself). A cluster's root is the item it is kept at; the larger
 * cluster absorbs the smaller, and the matters come out in the order of their roots.
 */
export function groupMatters<T extends MatterItem>(given: T[], links: MatterLink[], lex: ConceptLexicon = conceptLexicon()): Matter<T>[] {
  // One entry per key (keys are unique within a kind; a repeated key keeps its first place and its last item).
  const index = new Map<string, number>();
  const items: T[] = [];
  for (const i of given) {
    const at = index.get(i.key);
    if (at === undefined) index.set(i.key, items.push(i) - 1);
    else items[at] = i;
  }
  const n = items.length;
  const townshipIndex = new Map<string, number>();
  for (const i of items) if (!townshipIndex.has(i.regionCode)) townshipIndex.set(i.regionCode, townshipIndex.size);
  const words = Math.max(1, Math.ceil(townshipIndex.size / 32));
  /** Per root: the townships of its items, as a bit set of `words` words. */
  const townshipBits = new Uint32Array(n * words);
  const parent = new Int32Array(n);
  const members: (number[] | null)[] = new Array(n);
  const evidence = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    parent[k] = k;
    members[k] = [k];
    const t = townshipIndex.get(items[k].regionCode)!;
    townshipBits[k * words + (t >>> 5)] |= 1 << (t & 31);
  }
  const find = (k: number): number => {
    let r = k;
    while (parent[r] !== r) r = parent[r];
    while (parent[k] !== r) {
      const next = parent[k];
      parent[k] = r;
      k = next;
    }
    return r;
  };
  /** Per root, the items its items may never be joined with (an editor's unlink). */
  const blocked = new Map<number, Set<number>>();
  for (const l of links) {
    const [a, b] = [index.get(l.a), index.get(l.b)];
    if (l.linked || a === undefined || b === undefined) continue;
    for (const [x, y] of [[a, b], [b, a]]) {
      const set = blocked.get(x);
      if (set) set.add(y);
      else blocked.set(x, new Set([y]));
    }
  }
  const merge = (a: number, b: number, why: MatterEvidence, sameTownshipAllowed: boolean): void => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    if (!sameTownshipAllowed) for (let w = 0; w < words; w++) if (townshipBits[ra * words + w] & townshipBits[rb * words + w]) return;
    // the smaller absorbed by the larger; on a tie, b's by a's
    const [rSmall, rLarge] = members[ra]!.length < members[rb]!.length ? [ra, rb] : [rb, ra];
    const small = members[rSmall]!;
    const largeBlocked = blocked.get(rLarge);
    if (largeBlocked) for (const k of small) if (largeBlocked.has(k)) return;
    const large = members[rLarge]!;
    for (const k of small) large.push(k);
    members[rSmall] = null;
    for (let w = 0; w < words; w++) townshipBits[rLarge * words + w] |= townshipBits[rSmall * words + w];
    const smallBlocked = blocked.get(rSmall);
    if (smallBlocked) {
      if (largeBlocked) for (const k of smallBlocked) largeBlocked.add(k);
      else blocked.set(rLarge, smallBlocked);
      blocked.delete(rSmall);
    }
    evidence[rLarge] |= evidence[rSmall] | EVIDENCE_BIT[why];
    parent[rSmall] = rLarge;
  };

  // 1. editors' links
  for (const l of links) {
    const [a, b] = [index.get(l.a), index.get(l.b)];
    if (l.linked && a !== undefined && b !== undefined) merge(a, b, 'MANUAL', true);
  }

  // 2. the same name
  const byName = new Map<string, number[]>();
  for (let k = 0; k < n; k++) push(byName, normaliseName(items[k].name, items[k].subItem), k);
  for (const ks of byName.values()) for (let j = 1; j < ks.length; j++) merge(ks[0], ks[j], 'NAME', true);

  // 3. the same concept, between townships
  const byConcept = new Map<string, number[]>();
  for (let k = 0; k < n; k++) {
    const i = items[k];
    const concept = conceptOf(i.subItem ? `${i.name}${i.subItem}` : i.name, lex);
    if (concept) push(byConcept, concept, k);
  }
  for (const group of byConcept.values()) {
    // between the clusters the group's items are in by now (the same name across townships is one already)
    const roots = [...new Set(group.map(find))];
    for (let x = 0; x < roots.length; x++) for (let y = x + 1; y < roots.length; y++) merge(roots[x], roots[y], 'CONCEPT', false);
  }

  // 4. shared citations, between townships, the most similar first
  const provisionCount = new Int32Array(n);
  const byProvision = new Map<string, number[]>();
  for (let k = 0; k < n; k++) {
    const provisions = new Set(items[k].provisionIds);
    provisionCount[k] = provisions.size;
    for (const p of provisions) push(byProvision, p, k);
  }
  /** Shared provisions per pair (lower, higher position by key order), keyed lower × n + higher. */
  const shared = new Map<number, number>();
  for (const group of byProvision.values()) {
    if (group.length > COMMON_PROVISION_FACTOR * townshipIndex.size) continue;
    for (let x = 0; x < group.length; x++)
      for (let y = x + 1; y < group.length; y++) {
        const [a, b] = [group[x], group[y]];
        if (items[a].regionCode === items[b].regionCode) continue;
        const pair = items[a].key < items[b].key ? a * n + b : b * n + a;
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
  }
  const pairs: { a: number; b: number; score: number; keys: string }[] = [];
  for (const [pair, count] of shared) {
    const [a, b] = [Math.floor(pair / n), pair % n];
    const score = count / (provisionCount[a] + provisionCount[b] - count);
    if (score >= MIN_JACCARD) pairs.push({ a, b, score, keys: items[a].key + items[b].key });
  }
  pairs.sort((p, q) => q.score - p.score || (p.keys < q.keys ? -1 : 1));
  for (const p of pairs) merge(p.a, p.b, 'CITATIONS', false);

  const matters: Matter<T>[] = [];
  for (let r = 0; r < n; r++) {
    if (parent[r] !== r) continue;
    const its = members[r]!.map((k) => items[k]).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    matters.push({ id: its[0].key, name: commonestName(its), items: its, evidence: EVIDENCE_ORDER.filter((e) => evidence[r] & EVIDENCE_BIT[e]) });
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
