// Pure logic of law changes: which version of an instrument is in force on a date, where a cited
// number went through the crosswalks between consecutive versions, and how a citation is written.

import { toChineseNumber } from './chinese-numeral.js';
import type { CrosswalkChange } from './provision-crosswalk.entity.js';

export interface VersionLike {
  id: string;
  effectiveFrom: string | null;
}

export interface CrosswalkEntry {
  fromVersionId: string;
  toVersionId: string;
  fromArticle: number;
  fromParagraph: number | null;
  toArticle: number | null;
  toParagraph: number | null;
  change: CrosswalkChange;
}

export interface Position {
  article: number;
  paragraph: number | null;
}

/** Oldest first; undated versions count as the oldest. */
export function sortVersions<T extends VersionLike>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => (a.effectiveFrom ?? '').localeCompare(b.effectiveFrom ?? ''));
}

/** The version in force on `asOf` (the newest that took effect on or before it; undated ones always have), or null. */
export function versionInForce<T extends VersionLike>(versions: readonly T[], asOf: string): T | null {
  const sorted = sortVersions(versions);
  for (let i = sorted.length - 1; i >= 0; i--) if (!sorted[i].effectiveFrom || sorted[i].effectiveFrom! <= asOf) return sorted[i];
  return null;
}

/** The crosswalk rows of one transition that move `pos`: those naming its paragraph, else those of its whole article. */
export function entriesFor(entries: readonly CrosswalkEntry[], pos: Position): CrosswalkEntry[] {
  const ofArticle = entries.filter((e) => e.fromArticle === pos.article);
  const exact = ofArticle.filter((e) => e.fromParagraph !== null && e.fromParagraph === pos.paragraph);
  return exact.length ? exact : ofArticle.filter((e) => e.fromParagraph === null);
}

export interface Mapped {
  positions: Position[];
  /** Some step deleted the provision (positions then hold what survived, often nothing). */
  deleted: boolean;
  /** Some step changed a number. */
  moved: boolean;
}

/**
 * Follows `pos` from version `from` to version `to` (both in `versions`, `from` older) through the
 * crosswalk of each consecutive pair. A number no crosswalk row names keeps its number.
 */
export function mapThrough(versions: readonly VersionLike[], entries: readonly CrosswalkEntry[], fromId: string, toId: string, pos: Position): Mapped {
  const sorted = sortVersions(versions);
  const a = sorted.findIndex((v) => v.id === fromId);
  const b = sorted.findIndex((v) => v.id === toId);
  let positions: Position[] = [pos];
  let deleted = false;
  let moved = false;
  if (a < 0 || b < 0 || b <= a) return { positions, deleted, moved };
  for (let k = a; k < b; k++) {
    const step = entries.filter((e) => e.fromVersionId === sorted[k].id && e.toVersionId === sorted[k + 1].id);
    const next: Position[] = [];
    for (const p of positions) {
      const hits = entriesFor(step, p);
      if (hits.length === 0) {
        next.push(p);
        continue;
      }
      for (const e of hits) {
        if (e.change === 'DELETED' || e.toArticle === null) {
          deleted = true;
          continue;
        }
        const paragraph = e.fromParagraph === null ? (e.toParagraph ?? p.paragraph) : e.toParagraph;
        const target = { article: e.toArticle, paragraph };
        if (target.article !== p.article || target.paragraph !== p.paragraph) moved = true;
        if (!next.some((n) => n.article === target.article && n.paragraph === target.paragraph)) next.push(target);
      }
    }
    positions = next;
  }
  return { positions, deleted, moved };
}

/** 第N条[第M款][第（K）项] */
export function clauseLabel(article: number, paragraph: number | null, item: number | null = null): string {
  let s = `第${toChineseNumber(article)}条`;
  if (paragraph !== null) s += `第${toChineseNumber(paragraph)}款`;
  if (item !== null) s += `第（${toChineseNumber(item)}）项`;
  return s;
}

/** 《title》第二十二条、第二十三条: the first clause with the title, the others bare (they inherit it). */
export function citationText(title: string, positions: readonly Position[], item: number | null = null): string {
  if (positions.length === 0) return `《${title}》`;
  return `《${title}》` + positions.map((p) => clauseLabel(p.article, p.paragraph, item)).join('、');
}

/**
 * The legal basis with one citation replaced: the raw fragment as the list wrote it gives way to
 * the proposed citation (a fragment without its own title — a bare 第十六条 — to the bare clauses).
 * Null when the fragment is not in the text (the editor then writes the basis).
 */
export function replaceCitation(legalBasis: string, raw: string, proposed: string): string | null {
  const at = legalBasis.indexOf(raw);
  if (at < 0) return null;
  const replacement = raw.includes('《') || !proposed.startsWith('《') ? proposed : proposed.slice(proposed.indexOf('》') + 1);
  return legalBasis.slice(0, at) + replacement + legalBasis.slice(at + raw.length);
}

/** Texts compared as the law reads, not as it was typed (spaces, line breaks). */
export function sameText(a: string | null, b: string | null): boolean {
  const norm = (s: string | null) => (s ?? '').replace(/\s+/g, '');
  return norm(a) === norm(b);
}
