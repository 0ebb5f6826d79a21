import { createHash } from 'node:crypto';
import { CONTENT_FIELDS, searchTexts, type ItemCitations, type ItemContent, type SearchWeight } from '../lists/item-fields.js';
import { SEGMENTATION_FINGERPRINT, segmentForIndex } from './chinese-text.js';

/**
 * The one owner of an item's search document: which of its texts are searched, with what weight
 * (A name, sub-item, keywords and aliases; B description; C duties; D the citations' labels and
 * article texts — as item-fields.ts
 * says per field), segmented how. Every writer of `list_item.search_vector` goes through here: a
 * draft's rows when they are written (item.repository.ts) and `search:reindex` (search-index.service.ts).
 */
export interface SearchDocument {
  /** Space-joined tokens per weight, for setweight(to_tsvector('simple', …)). */
  a: string;
  b: string;
  c: string;
  d: string;
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

export function searchDocument(content: ItemContent, item: ItemCitations, segment: Segment = segmentJoined): SearchDocument {
  const tokens: Record<SearchWeight, string[]> = { A: [], B: [], C: [], D: [] };
  const whole: Record<SearchWeight, string[]> = { A: [], B: [], C: [], D: [] };
  for (const part of searchTexts(content, item)) {
    for (const text of part.texts) {
      const cut = segment(text);
      if (cut) tokens[part.weight].push(cut);
    }
    whole[part.weight].push(...part.whole.filter(Boolean));
  }
  // Curated phrases (keywords) are indexed whole as well as segmented.
  const join = (w: SearchWeight) => [...tokens[w], ...whole[w]].join(' ');
  return { a: join('A'), b: join('B'), c: join('C'), d: join('D') };
}

/** The SQL expression of one weight's vector: `weight` is a "char" expression ('A'…'D'). */
export const WEIGHTED_VECTOR_SQL = (text: string, weight: string) => `setweight(to_tsvector('simple', ${text}), ${weight})`;

/**
 * The SQL expression joining the four weights' vectors (each from WEIGHTED_VECTOR_SQL) into an
 * item's vector. A writer may compute each distinct text's weighted vector once and join them per row.
 */
export const JOINED_VECTORS_SQL = (a: string, b: string, c: string, d: string) => `${a} || ${b} || ${c} || ${d}`;

/** The SQL expression building the weighted vector from four text parameters. */
export const SEARCH_VECTOR_SQL = (a: string, b: string, c: string, d: string) =>
  JOINED_VECTORS_SQL(WEIGHTED_VECTOR_SQL(a, "'A'"), WEIGHTED_VECTOR_SQL(b, "'B'"), WEIGHTED_VECTOR_SQL(c, "'C'"), WEIGHTED_VECTOR_SQL(d, "'D'"));

/**
 * Bump when `searchDocument` itself changes in a way the fingerprint below cannot see (how texts
 * are joined, what a citation contributes…).
 */
const DOCUMENT_REVISION = 2; // 2: the citations' article text beside their labels (weight D)

/**
 * What the stored search vectors were computed with: the searched fields and their weights, the
 * segmenter's own dictionary and version, and DOCUMENT_REVISION. Stored beside the vectors
 * (`search_index_state`); when it differs from the code's, `migration:run` and start-up recompute
 * every row (search-index.service.ts), so a field made searchable reaches published items too.
 */
export const SEARCH_DOCUMENT_VERSION = createHash('sha256')
  .update(
    JSON.stringify({
      revision: DOCUMENT_REVISION,
      fields: CONTENT_FIELDS.filter((f) => f.weight).map((f) => [f.key, f.weight, !!f.codec.wholePhrases]),
      segmentation: SEGMENTATION_FINGERPRINT,
    }),
  )
  .digest('hex')
  .slice(0, 16);
