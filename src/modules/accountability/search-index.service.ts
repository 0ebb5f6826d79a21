import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ReadCache } from '../../common/read-cache.js';
import { ItemRepository } from '../lists/item.repository.js';
import { regionCodeRange } from '../regions/region-code.js';
import { memoizedSegmentation, searchDocument, SEARCH_DOCUMENT_VERSION } from './item-search-document.js';

export interface ReindexOptions {
  /** Only the lists of this region (a township, or every township of a county…); all rows without it. */
  regionCode?: string | null;
  /** Rows per batch: one read and one short UPDATE each. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Stops between batches (the server shutting down). */
  signal?: AbortSignal;
}

const BATCH = 500;

/**
 * Recomputes the derived search columns (`list_item.search_vector`) of existing rows, published
 * ones included, with the current search document (item-search-document.ts), and keeps the record
 * of which document the stored vectors were computed with (`search_index_state`).
 *
 * Safe on a live server: rows are read and rewritten in batches by id (a short UPDATE per batch,
 * its own transaction), and only the derived column changes — the immutability trigger allows
 * exactly that. An item's content never changes in place (a draft replaces its pending rows, a
 * publication only closes rows), so a vector computed from a row read a moment earlier is that
 * row's. Two runs at once only do the same work twice.
 */
@Injectable()
export class SearchIndexService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('SearchIndex');
  private running: { abort: AbortController; done: Promise<void> } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly items: ItemRepository,
    private readonly readCache: ReadCache,
  ) {}

  /** The search document the stored vectors were computed with; null before the first record. */
  async storedVersion(): Promise<string | null> {
    const [row] = await this.dataSource.query('SELECT document_version FROM search_index_state');
    return row?.document_version ?? null;
  }

  private async recordVersion(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO search_index_state (document_version) VALUES ($1)
       ON CONFLICT (singleton) DO UPDATE SET document_version = EXCLUDED.document_version, indexed_at = now()`,
      [SEARCH_DOCUMENT_VERSION],
    );
  }

  /** Recomputes the vectors of every row (of a region's lists); answers the rows done. A whole run records the current version. */
  async reindex(options: ReindexOptions = {}): Promise<number> {
    let listIds: string[] | null = null;
    if (options.regionCode) {
      const [low, high] = regionCodeRange(options.regionCode);
      listIds = (await this.dataSource.query('SELECT id FROM duty_list WHERE region_code BETWEEN $1 AND $2', [low, high])).map((r: { id: string }) => r.id);
    }
    const total = await this.items.countIndexed(listIds);
    const segment = memoizedSegmentation();
    let done = 0;
    let after: string | null = null;
    options.onProgress?.(0, total);
    while (!options.signal?.aborted) {
      const batch = await this.items.indexBatch(after, listIds, options.batchSize ?? BATCH);
      if (!batch.length) break;
      await this.items.writeSearchVectors(batch.map((row) => ({ id: row.id, ...searchDocument(row.content, row, segment) })));
      done += batch.length;
      after = batch[batch.length - 1].id;
      options.onProgress?.(Math.min(done, total), total);
    }
    // Answers kept in this process were ranked on the old vectors.
    this.readCache.invalidate('answers', 'responses');
    if (!listIds && !options.signal?.aborted) await this.recordVersion();
    return done;
  }

  /**
   * When the stored vectors were computed with another search document than the code's (a field
   * made searchable, another weight, another dictionary): every row recomputed, then the new
   * version recorded. Run by `migration:run` and at start-up, after the migrations. Answers the
   * rows done, or null when the index was current.
   */
  async reindexIfStale(options: Omit<ReindexOptions, 'regionCode'> = {}): Promise<number | null> {
    if ((await this.storedVersion()) === SEARCH_DOCUMENT_VERSION) return null;
    return this.reindex(options);
  }

  /**
   * At start-up: a stale index is recomputed in the background while the server answers (from
   * the old vectors meanwhile); an empty registry's version is recorded at once. Answers the
   * background run, if one started (start-up does not wait for it).
   */
  async startUp(): Promise<Promise<void> | null> {
    if ((await this.storedVersion()) === SEARCH_DOCUMENT_VERSION) return null;
    if ((await this.items.countIndexed(null)) === 0) {
      await this.reindex();
      return null;
    }
    this.logger.warn('The search index was computed with another search document: recomputing it in the background (npm run cli -- search:reindex does it in the foreground).');
    const abort = new AbortController();
    const started = Date.now();
    const done = this.reindex({ signal: abort.signal }).then(
      (rows) => {
        if (!abort.signal.aborted) this.logger.log(`Search index recomputed: ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      },
      (e) => this.logger.error(`Recomputing the search index failed (run npm run cli -- search:reindex): ${(e as Error).message}`),
    );
    this.running = { abort, done };
    return done;
  }

  /** Before the database closes: a background run stops after its current batch (the next start goes on). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.running.abort.abort();
    await this.running.done;
  }
}
