import { segmentForIndex } from './chinese-text.js';

/** What of an item is searched, by weight: A name/keywords, B description, C duties, D legal basis. */
export interface SearchableItem {
  name: string;
  subItem?: string | null;
  keywords: string[];
  description: string | null;
  townshipDuty: string | null;
  villageDuty: string | null;
  cooperatingDuties: string[];
  stagedDuties: string[];
  citationLabels: string[];
}

export interface SearchDocument {
  /** Space-joined tokens per weight, for setweight(to_tsvector('simple', …)). */
  a: string;
  b: string;
  c: string;
  d: string;
  /** Unsegmented name and keywords, for trigram similarity. */
  text: string;
}

/** A text's search-mode tokens, space-joined. */
export type Segment = (text: string | null | undefined) => string;

const segmentJoined: Segment = (text) => segmentForIndex(text).join(' ');

/**
 * Segmentation that remembers the texts it has cut: a list repeats its duties, its staged duties
 * and its citations from item to item, and an import segments each distinct text once.
 */
export function memoizedSegmentation(): Segment {
  const cut = new Map<string, string>();
  return (text) => {
    if (!text) return '';
    let tokens = cut.get(text);
    if (tokens === undefined) cut.set(text, (tokens = segmentJoined(text)));
    return tokens;
  };
}

export function searchDocument(item: SearchableItem, segment: Segment = segmentJoined): SearchDocument {
  const tokens = (texts: (string | null | undefined)[]) => texts.map(segment).filter(Boolean).join(' ');
  // Keywords are curated colloquial phrases: indexed whole as well as segmented.
  const keywordLexemes = item.keywords.map((k) => k.replace(/\s+/g, ''));
  return {
    a: [tokens([item.name, item.subItem, ...item.keywords]), ...keywordLexemes].filter(Boolean).join(' '),
    b: tokens([item.description]),
    c: tokens([item.townshipDuty, item.villageDuty, ...item.cooperatingDuties, ...item.stagedDuties]),
    d: tokens(item.citationLabels),
    text: [item.name, item.subItem, ...item.keywords].filter(Boolean).join(' '),
  };
}

/** The SQL expression building the weighted vector from four text parameters. */
export const SEARCH_VECTOR_SQL = (a: string, b: string, c: string, d: string) =>
  `setweight(to_tsvector('simple', ${a}), 'A') || setweight(to_tsvector('simple', ${b}), 'B') || ` +
  `setweight(to_tsvector('simple', ${c}), 'C') || setweight(to_tsvector('simple', ${d}), 'D')`;
