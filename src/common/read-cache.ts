import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { EntityManager } from 'typeorm';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';

/** How long an entry is trusted: the bound on what another instance's publication takes to show here. */
export const READ_CACHE_TTL_MS = 60_000;
/**
 * With read replicas, how long after an invalidation nothing new is kept: a replica may not have
 * replayed the publication yet, and what it answers meanwhile must not be cached for a minute.
 */
export const READ_CACHE_REPLICA_QUIET_MS = 10_000;

/** Whole public responses are bounded by size too: a whole list in force is ~0.5 MB. */
export const RESPONSE_CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** One response at most (UTF-16 in memory): the matrix of a county of 30 townships × 300 items is ~4 MB (docs/performance.md, W7). */
export const RESPONSE_MAX_BYTES = 8 * 1024 * 1024;

export type ReadCacheSpace = 'answers' | 'inForce' | 'regions' | 'citations' | 'responses' | 'contentHash';

/**
 * An in-process cache of public answers drawn from published data (a published version never
 * changes): answers of "who is accountable", versions in force, regions, an item's citations, and
 * whole responses of the public endpoint (src/api/response-cache.plugin.ts). Each space is an LRU
 * (lru-cache) of READ_CACHE_ENTRIES entries kept READ_CACHE_TTL_MS (0 turns the cache off);
 * responses also bounded by RESPONSE_CACHE_MAX_BYTES.
 *
 * Invalidation: `publishVersion` drops the answers and versions in force when its transaction
 * commits (invalidateOnCommit), a synonym change drops the answers; a value loaded while an
 * invalidation happened is not kept, nor, with read replicas, one loaded within
 * READ_CACHE_REPLICA_QUIET_MS of it (a replica may lag behind the publication). Whole responses are
 * dropped with every publication, synonym change and admin mutation (they may show anything public). Regions and citations never
 * change under a given key (a region row is never updated; a citation belongs to one item row,
 * and published rows are immutable), nor does a published version's content hash. Another instance learns of a publication within
 * READ_CACHE_TTL_MS, the same delay as the synonym table.
 */
@Injectable()
export class ReadCache {
  private readonly spaces = new Map<ReadCacheSpace, LRUCache<string, { value: unknown }>>();
  private readonly max: number;
  private readonly quietMs: number;
  /** Bumped by every invalidation: a value loaded before one is not kept after it. */
  #generation = 0;
  private invalidatedAt = 0;
  readonly stats = { hits: 0, misses: 0, invalidations: 0 };

  constructor(@Inject(QUANZE_CONFIG) config: QuanzeConfig) {
    this.max = config.readCacheEntries ?? 0;
    this.quietMs = config.databaseReplicaUrls?.length ? READ_CACHE_REPLICA_QUIET_MS : 0;
  }

  get enabled(): boolean {
    return this.max > 0;
  }

  private space(name: ReadCacheSpace): LRUCache<string, { value: unknown }> {
    let space = this.spaces.get(name);
    if (!space) {
      // Responses are bounded by their size as well; the other spaces count entries only.
      const bySize = name === 'responses' ? { maxSize: RESPONSE_CACHE_MAX_BYTES } : {};
      space = new LRUCache<string, { value: unknown }>({ max: this.max, ttl: READ_CACHE_TTL_MS, ...bySize });
      this.spaces.set(name, space);
    }
    return space;
  }

  /**
   * The cached value, or `load()`'s — kept when it resolves, unless an invalidation happened
   * meanwhile (it may have read what the invalidation replaced) or, with replicas, recently.
   */
  async get<T>(name: ReadCacheSpace, key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const hit = this.peek<T>(name, key);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const value = await load();
    this.keepIfCurrent(generation, name, key, value);
    return value;
  }

  /** Bumped by every invalidation; a load starts by reading it. */
  get generation(): number {
    return this.#generation;
  }

  /** Keeps a value loaded since `generation`, unless an invalidation happened meanwhile or, with replicas, recently. */
  keepIfCurrent(generation: number, name: ReadCacheSpace, key: string, value: unknown, bytes = 0): void {
    if (generation === this.#generation && Date.now() - this.invalidatedAt >= this.quietMs) this.set(name, key, value, bytes);
  }

  /** The value kept under `key` (now the most recently used), or undefined. */
  peek<T>(name: ReadCacheSpace, key: string): T | undefined {
    if (!this.enabled) return undefined;
    const entry = this.space(name).get(key);
    if (entry) this.stats.hits++;
    else this.stats.misses++;
    return entry?.value as T | undefined;
  }

  /** `bytes`: the value's size where the space is bounded by size (responses), else 0. */
  set(name: ReadCacheSpace, key: string, value: unknown, bytes = 0): void {
    if (!this.enabled) return;
    const space = this.space(name);
    space.set(key, { value }, space.maxSize ? { size: Math.max(1, bytes) } : {});
  }

  invalidate(...names: ReadCacheSpace[]): void {
    this.stats.invalidations++;
    this.#generation++;
    this.invalidatedAt = Date.now();
    for (const name of names.length ? names : [...this.spaces.keys()]) this.spaces.get(name)?.clear();
  }

  /**
   * Drops what a publication changes once the transaction of `em` commits (and at once too, so
   * nothing cached during the transaction outlives it).
   */
  invalidateOnCommit(em: EntityManager, ...names: ReadCacheSpace[]): void {
    this.invalidate(...names);
    const runner = em.queryRunner;
    if (!runner) return;
    const commit = runner.commitTransaction.bind(runner);
    runner.commitTransaction = async () => {
      await commit();
      runner.commitTransaction = commit;
      this.invalidate(...names);
    };
  }
}
