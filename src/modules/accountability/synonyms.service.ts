import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/actor.js';
import { badInput, notFound } from '../../common/domain-error.js';
import { AuditService } from '../audit/audit.service.js';
import { SearchSynonymEntity } from './search-synonym.entity.js';
import { ReadCache } from '../../common/read-cache.js';

const CACHE_MS = 60_000;
const TERM_RE = /^[\p{Script=Han}A-Za-z0-9]{1,20}$/u;

/**
 * The synonym table, as data an ADMIN extends without a release. Cached per process and
 * refreshed on every change here, and at least once a minute for changes made by other instances.
 */
@Injectable()
export class SynonymsService {
  private cache: { at: number; map: Map<string, string[]> } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly readCache: ReadCache,
  ) {}

  async synonymMap(): Promise<ReadonlyMap<string, string[]>> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
      const rows = await this.dataSource.getRepository(SearchSynonymEntity).find({ order: { term: 'ASC' } });
      this.cache = { at: Date.now(), map: new Map(rows.map((r) => [r.term, r.expansions])) };
    }
    return this.cache.map;
  }

  async list(): Promise<SearchSynonymEntity[]> {
    return this.dataSource.getRepository(SearchSynonymEntity).find({ order: { term: 'ASC' } });
  }

  /** `outer`: within a caller's transaction (mapping a logged question); the caches are dropped all the same. */
  async save(actor: Actor, term: string, expansions: string[], outer?: EntityManager): Promise<SearchSynonymEntity> {
    const t = term.trim();
    if (!TERM_RE.test(t)) throw badInput('term', '同义词须为1至20个汉字、字母或数字');
    const list = [...new Set(expansions.map((e) => e.trim()).filter(Boolean))];
    if (list.length === 0 || list.length > 10) throw badInput('expansions', '须给出1至10个对应的规范用语');
    const bad = list.findIndex((e) => !TERM_RE.test(e));
    if (bad >= 0) throw badInput(`expansions[${bad}]`, '规范用语须为1至20个汉字、字母或数字');
    const work = async (em: EntityManager) => {
      const before = await em.findOneBy(SearchSynonymEntity, { term: t });
      await em.upsert(SearchSynonymEntity, { term: t, expansions: list, updatedBy: actor.username ?? 'system' }, ['term']);
      await this.audit.record(em, actor, { action: 'saveSynonym', entityType: 'SearchSynonym', entityId: t, regionCode: null, before: before?.expansions ?? null, after: list });
      return em.findOneByOrFail(SearchSynonymEntity, { term: t });
    };
    const saved = outer ? await work(outer) : await this.dataSource.transaction(work);
    this.cache = null;
    this.readCache.invalidate('answers', 'responses'); // answers depend on the synonyms
    return saved;
  }

  async remove(actor: Actor, term: string): Promise<boolean> {
    if (!TERM_RE.test(term.trim())) throw badInput('term', '同义词须为1至20个汉字、字母或数字');
    await this.dataSource.transaction(async (em) => {
      const before = await em.findOneBy(SearchSynonymEntity, { term: term.trim() });
      if (!before) throw notFound(`同义词“${term}”不存在`);
      await em.delete(SearchSynonymEntity, { term: before.term });
      await this.audit.record(em, actor, { action: 'removeSynonym', entityType: 'SearchSynonym', entityId: before.term, regionCode: null, before: before.expansions });
    });
    this.cache = null;
    this.readCache.invalidate('answers', 'responses'); // answers depend on the synonyms
    return true;
  }
}
