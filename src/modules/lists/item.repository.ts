import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import { JOINED_VECTORS_SQL, memoizedSegmentation, searchDocument, SEARCH_VECTOR_SQL, WEIGHTED_VECTOR_SQL, type Segment } from '../accountability/item-search-document.js';
import { CONTENT_FIELDS, contentFromRow, contentToRecord, sameContent, type ItemContent } from './item-fields.js';
import type { PreparedItem } from './list-item.preparer.js';
import type { ListSection, PowerCategory } from './list-item.entity.js';
import { PUBLISHED_STATUSES } from './list-version.entity.js';
import type { CitationModel, ListItemConnectionModel, ListItemModel, ListVersionModel } from './list.model.js';

/**
 * All SQL on item rows and their citations: the items of a version (pages, all of them), a draft's
 * writes (pending rows, removal markers) and publication's transitions, and the search index's
 * batches. Columns and row mapping come from the item fields (item-fields.ts); the version's
 * lifecycle is ListVersionsService's, who may read what ListReadService's.
 */

type Version = Pick<ListVersionModel, 'listId' | 'number' | 'status'>;
/** A draft being written: its rows carry the list's region and kind. */
type DraftVersion = Pick<ListVersionModel, 'listId' | 'number' | 'regionCode' | 'kind'>;

/** The columns of an item as read: its id and code, then every content field. */
const columnsOf = (alias: string) => [`${alias}.id`, `${alias}.item_code`, ...CONTENT_FIELDS.map((f) => `${alias}.${f.column}`)].join(', ');
export const ITEM_COLUMNS = columnsOf('i');

/** A row read with ITEM_COLUMNS (any alias) as the GraphQL model. */
export function itemRowToModel(r: Record<string, unknown>): ListItemModel {
  return { id: r.id as string, itemCode: r.item_code as string, ...contentFromRow(r) } as ListItemModel;
}

/**
 * The SQL condition for "the items of version v" over the temporal rows: for a published
 * version one range condition; for an open version, the rows in force overlaid by its pending rows.
 */
function itemsOfVersionCondition(v: Version): { sql: string; params: unknown[] } {
  const [list, num] = ['$1', '$2'];
  if (PUBLISHED_STATUSES.includes(v.status)) {
    return {
      sql: `i.list_id = ${list} AND NOT i.pending AND i.from_version <= ${num} AND (i.to_version IS NULL OR i.to_version > ${num})`,
      params: [v.listId, v.number],
    };
  }
  return {
    sql: `i.list_id = ${list} AND NOT i.removed AND (
      (i.pending AND i.from_version = ${num})
      OR (NOT i.pending AND i.to_version IS NULL AND NOT EXISTS (
        SELECT 1 FROM list_item o WHERE o.list_id = i.list_id AND o.item_code = i.item_code AND o.pending AND o.from_version = ${num})))`,
    params: [v.listId, v.number],
  };
}

/**
 * What version `n` of a list changed against the version before it, from the temporal rows alone:
 * rows starting at n that replace a row ending at n are changed items, the others added; rows
 * ending at n without a successor are removed items. Three scalar subqueries over the list's rows,
 * for `list_id = listId` and `number = n` given as SQL expressions (a batch reads many versions at once).
 */
export const changeCountsSql = (listId: string, n: string) => `
  (SELECT count(*)::int FROM list_item i WHERE i.list_id = ${listId} AND NOT i.pending AND i.from_version = ${n}
     AND NOT EXISTS (SELECT 1 FROM list_item o WHERE o.list_id = i.list_id AND o.item_code = i.item_code AND o.to_version = ${n})) AS added,
  (SELECT count(*)::int FROM list_item i WHERE i.list_id = ${listId} AND NOT i.pending AND i.from_version = ${n}
     AND EXISTS (SELECT 1 FROM list_item o WHERE o.list_id = i.list_id AND o.item_code = i.item_code AND o.to_version = ${n})) AS changed,
  (SELECT count(*)::int FROM list_item o WHERE o.list_id = ${listId} AND o.to_version = ${n}
     AND NOT EXISTS (SELECT 1 FROM list_item i WHERE i.list_id = o.list_id AND i.item_code = o.item_code AND NOT i.pending AND i.from_version = ${n})) AS removed`;

export interface ChangeCounts {
  added: number;
  changed: number;
  removed: number;
}

export interface ItemFilter {
  first?: number | null;
  after?: string | null;
  section?: ListSection | null;
  category?: PowerCategory | null;
}

/** `first` of items when none is given, and the largest a caller may ask for (the API passes its endpoint's cap, PAGE_MAX_*). */
export const DEFAULT_ITEMS_PAGE = 100;
const MAX_PAGE = 1000;

/** The items of a version narrowed by section and category, as a WHERE clause and its parameters. */
function filteredItems(v: Version, filter: ItemFilter): { where: string; params: unknown[] } {
  const cond = itemsOfVersionCondition(v);
  const params = [...cond.params];
  const where = [cond.sql];
  if (filter.section) where.push(`i.section = $${params.push(filter.section)}`);
  if (filter.category) where.push(`i.category = $${params.push(filter.category)}`);
  return { where: where.join(' AND '), params };
}

/** How a prepared item came out in a draft: a new pending row (ADDED, CHANGED) or the row in force kept. */
export interface DraftWrite {
  /** The row now in the draft (written or in force); with `echo` or when unchanged. */
  item?: ListItemModel;
  change: 'ADDED' | 'CHANGED' | 'UNCHANGED';
}

interface RowInForce {
  model: ListItemModel;
  citationKeys: unknown;
}

/** Items written per statement: large imports go in a few round trips of bounded size. */
const WRITE_BATCH = 1000;

/**
 * The draft's write statement reads its rows from JSON: one typed column per field, and for each
 * weight of the search document the ordinal of its text among the batch's distinct texts.
 */
const RECORD_COLUMNS = [
  'item_code text',
  ...CONTENT_FIELDS.map((f) => `${f.column} ${f.codec.sqlType}`),
  'has_unresolved_citations boolean, da int, db int, dc int, dd int',
].join(', ');
const CONTENT_COLUMNS = CONTENT_FIELDS.map((f) => f.column).join(', ');
const prefixed = (alias: string) => CONTENT_FIELDS.map((f) => `${alias}.${f.column}`).join(', ');

/** One row of an index batch: an item's content and its citations, as the search document reads them. */
export interface IndexedRow {
  id: string;
  content: ItemContent;
  citations: { raw: string; label: string; resolved: boolean; instrumentTitle: string | null }[];
}

@Injectable()
export class ItemRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // ---------------------------------------------------------------- reads

  /** One page of a version's items, ordered by itemCode, with the total, in one statement. */
  async itemsPage(v: Version, filter: ItemFilter, maxPage = MAX_PAGE): Promise<ListItemConnectionModel> {
    const first = filter.first ?? Math.min(DEFAULT_ITEMS_PAGE, maxPage);
    if (!Number.isInteger(first) || first < 0 || first > maxPage) throw badInput('first', `first 应为0至${maxPage}之间的整数`, { max: maxPage });
    const after = filter.after ? decodeCursor(filter.after) : null;
    const { where, params } = filteredItems(v, filter);
    const afterSql = after === null ? '' : `WHERE t.item_code > $${params.push(after)}`;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM (SELECT ${ITEM_COLUMNS}, count(*) OVER () AS total FROM list_item i WHERE ${where}) t
       ${afterSql} ORDER BY t.item_code LIMIT $${params.push(first + 1)}`,
      params,
    );
    const page = rows.slice(0, first);
    let totalCount = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && after !== null) totalCount = await this.countItems(v, filter);
    return {
      edges: page.map((r) => ({ cursor: encodeCursor(r.item_code as string), node: itemRowToModel(r) })),
      pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encodeCursor(page[page.length - 1].item_code as string) : null },
      totalCount,
    };
  }

  async countItems(v: Version, filter: ItemFilter = {}, em?: EntityManager): Promise<number> {
    const { where, params } = filteredItems(v, filter);
    const [row] = await (em ?? this.dataSource.manager).query(`SELECT count(*)::int AS n FROM list_item i WHERE ${where}`, params);
    return row.n;
  }

  /** All items of a version (diff, export), ordered by itemCode. */
  async allItems(v: Version, em?: EntityManager): Promise<ListItemModel[]> {
    const cond = itemsOfVersionCondition(v);
    const rows = await (em ?? this.dataSource.manager).query(`SELECT ${ITEM_COLUMNS} FROM list_item i WHERE ${cond.sql} ORDER BY i.item_code`, cond.params);
    return rows.map(itemRowToModel);
  }

  /** One item of a version by its code (a draft: its pending row, or the row in force), or undefined. */
  async itemOfVersion(v: Version, itemCode: string, em?: EntityManager): Promise<ListItemModel | undefined> {
    const cond = itemsOfVersionCondition(v);
    const rows = await (em ?? this.dataSource.manager).query(`SELECT ${ITEM_COLUMNS} FROM list_item i WHERE ${cond.sql} AND i.item_code = $3`, [...cond.params, itemCode]);
    return rows.length ? itemRowToModel(rows[0]) : undefined;
  }

  /** Codes of the items a draft adds or changes (its pending rows, removal markers apart). */
  async pendingCodes(v: Version, em?: EntityManager): Promise<string[]> {
    const rows: { item_code: string }[] = await (em ?? this.dataSource.manager).query(
      'SELECT item_code FROM list_item WHERE list_id = $1 AND from_version = $2 AND pending AND NOT removed',
      [v.listId, v.number],
    );
    return rows.map((r) => r.item_code);
  }

  /** Citations of many items at once, with the provision text where the catalogue has it. */
  async citationsOf(itemIds: readonly string[], em?: EntityManager): Promise<Map<string, CitationModel[]>> {
    const rows: Record<string, any>[] = itemIds.length
      ? await (em ?? this.dataSource.manager).query(
          `SELECT c.item_id, c.raw, c.instrument_title, c.article, c.paragraph, c.item, c.label, c.resolved, c.provision_id, p.text
           FROM item_citation c LEFT JOIN provision p ON p.id = c.provision_id
           WHERE c.item_id = ANY($1::uuid[]) ORDER BY c.item_id, c.ordinal`,
          [[...itemIds]],
        )
      : [];
    const byItem = new Map<string, CitationModel[]>(itemIds.map((id) => [id, []]));
    for (const r of rows) {
      byItem.get(r.item_id)!.push({
        raw: r.raw,
        instrumentTitle: r.instrument_title,
        article: r.article,
        paragraph: r.paragraph,
        item: r.item,
        label: r.label,
        resolved: r.resolved,
        provisionId: r.provision_id,
        text: r.text,
      });
    }
    return byItem;
  }

  /** What a published version changed against its predecessor (counts of items added, changed, removed). */
  async changeCounts(em: EntityManager, listId: string, number: number): Promise<ChangeCounts> {
    const [row] = await em.query(`SELECT ${changeCountsSql('$1::uuid', '$2::int')}`, [listId, number]);
    return { added: row.added, changed: row.changed, removed: row.removed };
  }

  /** Item codes of the list's rows in force. */
  async codesInForce(em: EntityManager, listId: string): Promise<string[]> {
    const rows: { item_code: string }[] = await em.query('SELECT item_code FROM list_item WHERE list_id = $1 AND NOT pending AND to_version IS NULL', [listId]);
    return rows.map((r) => r.item_code);
  }

  // ---------------------------------------------------------------- a draft's writes

  /**
   * Writes prepared items (distinct item codes) as the draft's pending rows, replacing earlier
   * ones, in a few statements whatever the count: pending rows replaced and rows in force read at
   * once, then one statement per batch of changed items (rows and citations together). An item
   * identical to the one in force writes nothing: a version stores only what changed, and the
   * draft shows the row in force. `echo` answers the written rows (saveItem shows it); an import
   * needs only the counts.
   */
  async writeDraftItems(em: EntityManager, version: DraftVersion, items: PreparedItem[], writer: string, echo = false): Promise<DraftWrite[]> {
    const codes = items.map((i) => i.itemCode);
    await em.query('DELETE FROM list_item WHERE list_id = $1 AND from_version = $2 AND pending AND item_code = ANY($3::text[])', [version.listId, version.number, codes]);
    const inForce = await this.rowsInForce(em, version, codes);
    const changed = items.filter((item) => !unchanged(inForce.get(item.itemCode), item));
    const inserted = new Map<string, ListItemModel | null>();
    const segment = memoizedSegmentation();
    // Node segments batch k+1 while the database writes batch k: the two costs of an import overlap.
    let writing: Promise<void> = Promise.resolve();
    for (let at = 0; at < changed.length; at += WRITE_BATCH) {
      const rows = draftRows(changed.slice(at, at + WRITE_BATCH), segment);
      await writing;
      writing = this.insertDraftRows(em, version, rows, writer, echo, inserted);
      writing.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      await new Promise((sent) => setImmediate(sent)); // the statement leaves before the next batch's segmentation
    }
    await writing;
    return items.map((item) => {
      const current = inForce.get(item.itemCode);
      if (!inserted.has(item.itemCode)) return { item: current!.model, change: 'UNCHANGED' };
      return { item: inserted.get(item.itemCode) ?? undefined, change: current ? 'CHANGED' : 'ADDED' };
    });
  }

  /** One batch of pending rows and their citations, in one statement. */
  private async insertDraftRows(em: EntityManager, version: DraftVersion, rows: DraftRows, writer: string, echo: boolean, inserted: Map<string, ListItemModel | null>) {
    const returned: Record<string, unknown>[] = await em.query(
      // Each distinct (text, weight) of the batch is parsed into a vector once (to_tsvector was most
      // of the statement's time, and a list repeats its duties and citations); each row joins its four.
      `WITH doc AS MATERIALIZED (
         SELECT d.n, ${WEIGHTED_VECTOR_SQL('d.t', 'd.w::"char"')} AS v FROM unnest($8::text[], $9::text[]) WITH ORDINALITY AS d(t, w, n)
       ), item AS (
         INSERT INTO list_item (list_id, region_code, kind, item_code, from_version, ${CONTENT_COLUMNS}, has_unresolved_citations, search_vector, written_by)
         SELECT $1, $2, $3, r.item_code, $4, ${prefixed('r')}, r.has_unresolved_citations, ${JOINED_VECTORS_SQL('da.v', 'db.v', 'dc.v', 'dd.v')}, $7
         FROM jsonb_to_recordset($5::jsonb) AS r(${RECORD_COLUMNS})
         JOIN doc da ON da.n = r.da JOIN doc db ON db.n = r.db JOIN doc dc ON dc.n = r.dc JOIN doc dd ON dd.n = r.dd
         RETURNING ${echo ? `id, item_code, ${CONTENT_COLUMNS}` : 'id, item_code'}
       ), citation AS (
         -- The citations' guard trigger cannot see these rows yet (same statement): it lets them
         -- through, as it would, since they are pending rows of a draft. The foreign key is
         -- checked at the end of the statement, when it can.
         INSERT INTO item_citation (item_id, ordinal, raw, instrument_title, article, paragraph, item, label, resolved, instrument_id, instrument_version_id, provision_id)
         SELECT item.id, c.ordinal, c.raw, c.instrument_title, c.article, c.paragraph, c.item, c.label, c.resolved, c.instrument_id, c.instrument_version_id, c.provision_id
         FROM jsonb_to_recordset($6::jsonb) AS c(item_code text, ordinal int, raw text, instrument_title text, article int, paragraph int,
           item int, label text, resolved boolean, instrument_id uuid, instrument_version_id uuid, provision_id uuid)
         JOIN item ON item.item_code = c.item_code
       )
       SELECT ${echo ? `id, item_code, ${CONTENT_COLUMNS}` : 'item_code'} FROM item`,
      [version.listId, version.regionCode, version.kind, version.number, rows.items, rows.citations, writer, rows.texts, rows.weights],
    );
    for (const r of returned) inserted.set(r.item_code as string, echo ? itemRowToModel(r) : null);
  }

  /** The rows in force for these item codes, with the keys their citations are compared by. */
  private async rowsInForce(em: EntityManager, version: DraftVersion, codes: string[]): Promise<Map<string, RowInForce>> {
    const rows: Record<string, any>[] = await em.query(
      `SELECT ${ITEM_COLUMNS}, coalesce((SELECT json_agg(json_build_array(c.raw, c.label, c.provision_id, c.instrument_id) ORDER BY c.ordinal)
                             FROM item_citation c WHERE c.item_id = i.id), '[]'::json) AS citation_keys
       FROM list_item i WHERE i.list_id = $1 AND i.item_code = ANY($2::text[]) AND NOT i.pending AND i.to_version IS NULL`,
      [version.listId, codes],
    );
    return new Map(rows.map((row) => [row.item_code, { model: itemRowToModel(row), citationKeys: row.citation_keys }]));
  }

  /** Drops the draft's pending rows of every item but `keep` (an import makes the draft exactly its file). */
  async dropPendingExcept(em: EntityManager, version: DraftVersion, keep: string[]): Promise<void> {
    await em.query('DELETE FROM list_item WHERE list_id = $1 AND from_version = $2 AND pending AND NOT (item_code = ANY($3::text[]))', [version.listId, version.number, keep]);
  }

  /** The draft's pending row of an item, if any (a removal marker says `removed`). */
  async pendingRow(em: EntityManager, version: DraftVersion, itemCode: string): Promise<{ id: string; removed: boolean } | undefined> {
    const [row] = await em.query('SELECT id, removed FROM list_item WHERE list_id = $1 AND item_code = $2 AND from_version = $3 AND pending', [version.listId, itemCode, version.number]);
    return row;
  }

  /** Whether `writer` wrote any row of this unpublished version (a saved item or a removal marker). */
  async hasWritten(em: EntityManager, version: DraftVersion, writer: string): Promise<boolean> {
    const [row] = await em.query('SELECT 1 FROM list_item WHERE list_id = $1 AND from_version = $2 AND pending AND lower(written_by) = lower($3) LIMIT 1', [version.listId, version.number, writer]);
    return !!row;
  }

  async deleteRow(em: EntityManager, id: string): Promise<void> {
    await em.query('DELETE FROM list_item WHERE id = $1', [id]);
  }

  /** Removal markers for items in force (publishing turns each into its row's end); answers the codes marked. */
  async markRemoved(em: EntityManager, version: DraftVersion, codes: string[], writer: string): Promise<string[]> {
    if (!codes.length) return [];
    const marked: { item_code: string }[] = await em.query(
      `INSERT INTO list_item (list_id, region_code, kind, item_code, from_version, removed, ${CONTENT_COLUMNS}, written_by)
       SELECT list_id, region_code, kind, item_code, $3, true, ${CONTENT_COLUMNS}, $4
       FROM list_item WHERE list_id = $1 AND item_code = ANY($2::text[]) AND NOT pending AND to_version IS NULL
       RETURNING item_code`,
      [version.listId, codes, version.number, writer],
    );
    return marked.map((r) => r.item_code);
  }

  /**
   * Publication of version `number`: the rows it replaces end there, once and for all; its removal
   * markers have done their work; its pending rows become published rows.
   */
  async publishRows(em: EntityManager, listId: string, number: number): Promise<void> {
    await em.query(
      `UPDATE list_item SET to_version = $2 WHERE list_id = $1 AND NOT pending AND to_version IS NULL
         AND item_code IN (SELECT item_code FROM list_item WHERE list_id = $1 AND pending AND from_version = $2)`,
      [listId, number],
    );
    await em.query('DELETE FROM list_item WHERE list_id = $1 AND pending AND removed AND from_version = $2', [listId, number]);
    await em.query('UPDATE list_item SET pending = false WHERE list_id = $1 AND pending AND from_version = $2', [listId, number]);
  }

  // ---------------------------------------------------------------- the search index

  /** Item rows to (re)index: all, or those of these lists; removal markers are never searched. */
  async countIndexed(listIds: string[] | null): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::bigint AS n FROM list_item i WHERE NOT i.removed ${listIds ? 'AND i.list_id = ANY($1::uuid[])' : ''}`, listIds ? [listIds] : []);
    return Number(row.n);
  }

  /** The next `limit` rows after `afterId` (by id), with what their search document reads. */
  async indexBatch(afterId: string | null, listIds: string[] | null, limit: number): Promise<IndexedRow[]> {
    const params: unknown[] = [afterId ?? '00000000-0000-0000-0000-000000000000', limit];
    const rows: Record<string, any>[] = await this.dataSource.query(
      `SELECT i.id, ${prefixed('i')},
         coalesce((SELECT json_agg(json_build_object('raw', c.raw, 'label', c.label, 'resolved', c.resolved, 'instrumentTitle', c.instrument_title, 'text', p.text) ORDER BY c.ordinal)
                   FROM item_citation c LEFT JOIN provision p ON p.id = c.provision_id WHERE c.item_id = i.id), '[]'::json) AS citations
       FROM list_item i WHERE i.id > $1 AND NOT i.removed ${listIds ? `AND i.list_id = ANY($${params.push(listIds)}::uuid[])` : ''}
       ORDER BY i.id LIMIT $2`,
      params,
    );
    return rows.map((r) => ({ id: r.id, content: contentFromRow(r), citations: r.citations }));
  }

  /** New search vectors for rows (one short statement; the immutability trigger lets derived columns change). */
  async writeSearchVectors(rows: { id: string; a: string; b: string; c: string; d: string }[]): Promise<void> {
    if (!rows.length) return;
    await this.dataSource.query(
      `UPDATE list_item i SET search_vector = ${SEARCH_VECTOR_SQL('u.a', 'u.b', 'u.c', 'u.d')}
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, a, b, c, d) WHERE i.id = u.id`,
      [rows.map((r) => r.id), rows.map((r) => r.a), rows.map((r) => r.b), rows.map((r) => r.c), rows.map((r) => r.d)],
    );
  }
}

/**
 * A batch of changed items as the parameters of the write: rows and citations as JSON, and the
 * distinct texts of their search documents with their weights (rows refer to them by ordinal).
 */
interface DraftRows {
  items: string;
  citations: string;
  texts: string[];
  weights: string[];
}

function draftRows(items: PreparedItem[], segment: Segment): DraftRows {
  const texts: string[] = [];
  const weights: string[] = [];
  const ordinals = new Map<string, number>();
  const ordinal = (weight: string, text: string) => {
    const key = `${weight}${text}`;
    let n = ordinals.get(key);
    if (n === undefined) ordinals.set(key, (n = texts.push(text))), weights.push(weight);
    return n;
  };
  const rows = items.map((item) => {
    const doc = searchDocument(item, item, segment);
    return {
      item_code: item.itemCode,
      ...contentToRecord(item),
      has_unresolved_citations: item.citations.some((c) => !c.resolved),
      da: ordinal('A', doc.a), db: ordinal('B', doc.b), dc: ordinal('C', doc.c), dd: ordinal('D', doc.d),
    };
  });
  const citations = items.flatMap((item) =>
    item.citations.map((c, ordinal) => ({
      item_code: item.itemCode, ordinal, raw: c.raw, instrument_title: c.instrumentTitle, article: c.article, paragraph: c.paragraph,
      item: c.item, label: c.label, resolved: c.resolved, instrument_id: c.instrumentId, instrument_version_id: c.instrumentVersionId,
      provision_id: c.provisionId,
    })),
  );
  return { items: JSON.stringify(rows), citations: JSON.stringify(citations), texts, weights };
}

/** Whether the row in force holds exactly the prepared content and citations (then the draft writes nothing for it). */
function unchanged(current: RowInForce | undefined, item: PreparedItem): boolean {
  if (!current) return false;
  return (
    sameContent(current.model, item) &&
    JSON.stringify(current.citationKeys) === JSON.stringify(item.citations.map((c) => [c.raw, c.label, c.provisionId, c.instrumentId]))
  );
}

const encodeCursor = (itemCode: string) => Buffer.from(itemCode, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!code || code.length > 64) throw badInput('after', '分页游标无效');
  return code;
}
