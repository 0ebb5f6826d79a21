/**
 * The first grouping of items into matters (string keys, a Set per item and cluster), kept as the
 * reference the faster grouping in src/modules/county-views/matters.ts must agree with, matter for
 * matter, in order (test/unit/county-matters.spec.ts).
 */
import { conceptOf, normaliseName, type ConceptLexicon, type Matter, type MatterEvidence, type MatterItem, type MatterLink } from '../../src/modules/county-views/matters.js';

const COMMON_PROVISION_FACTOR = 3;
const MIN_JACCARD = 0.5;

interface Cluster {
  keys: Set<string>;
  townships: Set<string>;
  blocked: Set<string>;
  evidence: Set<MatterEvidence>;
}

export function referenceGroupMatters<T extends MatterItem>(items: T[], links: MatterLink[], lex: ConceptLexicon): Matter<T>[] {
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

function commonestName(items: MatterItem[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.name, (counts.get(i.name) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))[0][0];
}
