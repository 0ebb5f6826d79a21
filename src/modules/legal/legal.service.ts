import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/actor.js';
import { badInput } from '../../common/domain-error.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { ReadCache } from '../../common/read-cache.js';
import { AuditService } from '../audit/audit.service.js';
import { sortVersions, versionInForce, type CrosswalkEntry } from './crosswalk.js';
import type { CrosswalkChange } from './provision-crosswalk.entity.js';
import { ProvisionCrosswalkEntity } from './provision-crosswalk.entity.js';
import type { ParsedCitation } from './citation-parser.js';
import { InstrumentVersionEntity } from './instrument-version.entity.js';
import { LEGAL_RANKS, LegalInstrumentEntity, type LegalRank } from './legal-instrument.entity.js';
import { ProvisionEntity } from './provision.entity.js';

/** A parsed citation linked to the catalogue where it resolves. */
export interface ResolvedCitation extends ParsedCitation {
  instrumentId: string | null;
  instrumentVersionId: string | null;
  provisionId: string | null;
  /** The cited provision's text (searched with the item), when one matched. */
  text?: string | null;
  /** true when the instrument is in the catalogue and, if an article is cited, a provision matches. */
  resolved: boolean;
}

export interface CatalogueRow {
  /** The row of the file, for messages. */
  row?: number;
  /** The sheet (xlsx) or file (CSV) it comes from, for messages. */
  sheet?: string | null;
  title: string;
  shortTitle: string | null;
  rank: string;
  enactingOrgan: string | null;
  docNumber: string | null;
  effectiveFrom: string | null;
  article: number | null;
  paragraph: number | null;
  item: number | null;
  text: string | null;
}

/** A crosswalk row of a catalogue file: where a number of the version from `fromEffective` went in the version from `toEffective`. */
export interface CrosswalkRow {
  row: number;
  sheet?: string | null;
  title: string;
  fromEffective: string | null;
  fromArticle: number;
  fromParagraph: number | null;
  toEffective: string | null;
  /** null: deleted */
  toArticle: number | null;
  toParagraph: number | null;
  /** as the file says; derived from the rows when not given */
  change: CrosswalkChange | null;
  source: string | null;
  verified: boolean;
}

/** A repeal row: the instrument is repealed from `repealedOn`, replaced by `successorTitle` if any. */
export interface RepealRow {
  row: number;
  sheet?: string | null;
  title: string;
  repealedOn: string;
  successorTitle: string | null;
}

export interface CatalogueImport {
  provisions: CatalogueRow[];
  crosswalk: CrosswalkRow[];
  repeals: RepealRow[];
}

/** What the audit keeps of an uploaded catalogue file. */
export interface CatalogueFileFacts {
  fileName: string;
  sha256: string;
  bytes: number;
}

export interface CatalogueImportResult {
  instruments: number;
  provisions: number;
  crosswalk: number;
  repeals: number;
  /** Citations of stored versions whose resolution the change altered. */
  citationsReresolved: number;
}

/** The catalogue of some instruments, loaded at once (resolution and alerts read the same few instruments many times). */
export interface CatalogueSnapshot {
  byTitle: Map<string, LegalInstrumentEntity>;
  byId: Map<string, LegalInstrumentEntity>;
  /** Oldest first. */
  versionsOf: Map<string, InstrumentVersionEntity[]>;
  provisionsOf: Map<string, ProvisionEntity[]>; // key `${versionId}:${article}`
  crosswalkOf: Map<string, CrosswalkEntry[]>; // key instrumentId
}

@Injectable()
export class LegalService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly readCache: ReadCache,
  ) {}

  /** The instruments named by `titles` (full or short titles), or every instrument, with their versions, provisions and crosswalks. */
  async loadCatalogue(em: EntityManager, titles: string[] | 'all'): Promise<CatalogueSnapshot> {
    const snapshot: CatalogueSnapshot = { byTitle: new Map(), byId: new Map(), versionsOf: new Map(), provisionsOf: new Map(), crosswalkOf: new Map() };
    if (titles !== 'all' && titles.length === 0) return snapshot;
    const qb = em.createQueryBuilder(LegalInstrumentEntity, 'i');
    if (titles !== 'all') qb.where('i.title IN (:...titles) OR i.short_title IN (:...titles)', { titles });
    const instruments = await qb.getMany();
    // Successors are named on alerts: load them too.
    const successorIds = instruments.map((i) => i.successorId).filter((id): id is string => !!id && !instruments.some((x) => x.id === id));
    if (successorIds.length) instruments.push(...(await em.createQueryBuilder(LegalInstrumentEntity, 'i').where('i.id IN (:...ids)', { ids: successorIds }).getMany()));
    for (const i of instruments) {
      snapshot.byTitle.set(i.title, i);
      snapshot.byId.set(i.id, i);
    }
    for (const i of instruments) if (i.shortTitle && !snapshot.byTitle.has(i.shortTitle)) snapshot.byTitle.set(i.shortTitle, i);
    if (instruments.length === 0) return snapshot;
    const versions = await em.createQueryBuilder(InstrumentVersionEntity, 'v').where('v.instrument_id IN (:...ids)', { ids: instruments.map((i) => i.id) }).getMany();
    for (const [id, list] of groupBy(versions, (v) => v.instrumentId)) snapshot.versionsOf.set(id, sortVersions(list));
    if (versions.length === 0) return snapshot;
    const versionIds = versions.map((v) => v.id);
    const provisions: ProvisionEntity[] = await em.createQueryBuilder(ProvisionEntity, 'p').where('p.instrument_version_id IN (:...ids)', { ids: versionIds }).getMany();
    snapshot.provisionsOf = groupBy(provisions, (p) => `${p.instrumentVersionId}:${p.article}`);
    const crosswalk: ProvisionCrosswalkEntity[] = await em
      .createQueryBuilder(ProvisionCrosswalkEntity, 'x')
      .where('x.from_version_id IN (:...ids)', { ids: versionIds })
      .getMany();
    const instrumentOfVersion = new Map(versions.map((v) => [v.id, v.instrumentId]));
    snapshot.crosswalkOf = groupBy(crosswalk, (x) => instrumentOfVersion.get(x.fromVersionId)!);
    return snapshot;
  }

  /**
   * Links citations to provisions. The instrument is found by full or short title; the version is
   * the one in force on `asOf` — for a list, its version's effectiveFrom — and nothing else: a list
   * compiled under an old text keeps that text, and never shows a later law's text. A repealed
   * instrument resolves no more from its repeal on.
   */
  async resolveCitations(citations: ParsedCitation[], asOf: string, manager?: EntityManager): Promise<ResolvedCitation[]> {
    const em = manager ?? this.dataSource.manager;
    const titles = [...new Set(citations.map((c) => c.instrumentTitle).filter((t): t is string => !!t))];
    const catalogue = await this.loadCatalogue(em, titles);
    // A list cites the same provisions item after item: each distinct citation is resolved once.
    const resolved = new Map<string, ResolvedCitation>();
    return citations.map((c) => {
      const key = JSON.stringify([c.raw, c.instrumentTitle, c.article, c.paragraph, c.item, c.label, c.parsed]);
      let r = resolved.get(key);
      if (!r) resolved.set(key, (r = resolveIn(catalogue, c, asOf)));
      return { ...r };
    });
  }

  /** Provision texts by id, for citations shown in answers. */
  createProvisionTextLoader(): DataLoader<string, string | null> {
    return new DataLoader(async (ids) => {
      const rows: { id: string; text: string }[] = await this.dataSource.query(
        'SELECT id, text FROM provision WHERE id = ANY($1::uuid[])',
        [[...ids]],
      );
      const byId = new Map(rows.map((r) => [r.id, r.text]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Adds catalogue rows (one per provision, or per instrument when no article); idempotent. */
  async importCatalogue(rows: CatalogueRow[], manager?: EntityManager): Promise<{ instruments: number; provisions: number }> {
    const em = manager ?? this.dataSource.manager;
    let provisionCount = 0;
    const instrumentIds = new Set<string>();
    for (const [index, row] of rows.entries()) {
      if (!LEGAL_RANKS.includes(row.rank as LegalRank))
        throw badInput('位阶', `${rowPlace(row, '条文表', index + 2)}「位阶」：“${row.rank}”无效，应为：${LEGAL_RANKS.join('、')}`, rowDetails(row, index + 2));
      await em.query(
        `INSERT INTO legal_instrument (title, short_title, rank) VALUES ($1, $2, $3)
         ON CONFLICT (title) DO UPDATE SET short_title = COALESCE(legal_instrument.short_title, EXCLUDED.short_title)`,
        [row.title, row.shortTitle, row.rank],
      );
      const [{ id: instrumentId }] = await em.query('SELECT id FROM legal_instrument WHERE title = $1', [row.title]);
      instrumentIds.add(instrumentId);
      let [version] = await em.query(
        'SELECT id FROM instrument_version WHERE instrument_id = $1 AND effective_from IS NOT DISTINCT FROM $2::date AND doc_number IS NOT DISTINCT FROM $3',
        [instrumentId, row.effectiveFrom, row.docNumber],
      );
      if (!version) {
        [version] = await em.query(
          'INSERT INTO instrument_version (instrument_id, enacting_organ, doc_number, effective_from) VALUES ($1, $2, $3, $4) RETURNING id',
          [instrumentId, row.enactingOrgan, row.docNumber, row.effectiveFrom],
        );
      }
      if (row.article !== null && row.text) {
        await em.query(
          `INSERT INTO provision (instrument_version_id, article, paragraph, item, text) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (instrument_version_id, article, paragraph, item) DO UPDATE SET text = EXCLUDED.text`,
          [version.id, row.article, row.paragraph, row.item, row.text],
        );
        provisionCount++;
      }
    }
    return { instruments: instrumentIds.size, provisions: provisionCount };
  }

  /**
   * Crosswalk rows between two versions of an instrument (both must be in the catalogue, found by
   * their effective dates); the kind of change is derived when the row does not say it: no target
   * → DELETED, one source with several targets → SPLIT, several sources with one target → MERGED,
   * else MOVED. Idempotent.
   */
  async importCrosswalk(rows: CrosswalkRow[], em: EntityManager): Promise<number> {
    const resolved: Array<CrosswalkRow & { fromVersionId: string; toVersionId: string }> = [];
    for (const row of rows) {
      const [instrument] = await em.query('SELECT id FROM legal_instrument WHERE title = $1 OR short_title = $1 ORDER BY (title = $1) DESC LIMIT 1', [row.title]);
      if (!instrument) throw badInput('法规名称', `${rowPlace(row, '对照表')}「法规名称」：目录中没有“${row.title}”，请先导入其条文`, rowDetails(row));
      const versionId = async (date: string | null, column: string) => {
        const [v] = await em.query('SELECT id FROM instrument_version WHERE instrument_id = $1 AND effective_from IS NOT DISTINCT FROM $2::date ORDER BY doc_number NULLS LAST LIMIT 1', [instrument.id, date]);
        if (!v) throw badInput(column, `${rowPlace(row, '对照表')}「${column}」：“${row.title}”没有施行日期为 ${date ?? '（空）'} 的版本`, rowDetails(row));
        return v.id as string;
      };
      const fromVersionId = await versionId(row.fromEffective, '原施行日期');
      const toVersionId = await versionId(row.toEffective, '新施行日期');
      if (fromVersionId === toVersionId) throw badInput('新施行日期', `${rowPlace(row, '对照表')}：原版本和新版本是同一个版本`, rowDetails(row));
      if ((row.fromEffective ?? '') >= (row.toEffective ?? '')) throw badInput('新施行日期', `${rowPlace(row, '对照表')}「新施行日期」应晚于「原施行日期」`, rowDetails(row));
      resolved.push({ ...row, fromVersionId, toVersionId });
    }
    const key = (r: { fromVersionId: string; toVersionId: string }) => `${r.fromVersionId}>${r.toVersionId}`;
    for (const r of resolved) {
      let change = r.change;
      if (!change) {
        const same = resolved.filter((x) => key(x) === key(r));
        if (r.toArticle === null) change = 'DELETED';
        else if (same.filter((x) => x.fromArticle === r.fromArticle && x.fromParagraph === r.fromParagraph && x.toArticle !== null).length > 1) change = 'SPLIT';
        else if (same.filter((x) => x.toArticle === r.toArticle && x.toParagraph === r.toParagraph).length > 1) change = 'MERGED';
        else change = 'MOVED';
      }
      if ((change === 'DELETED') !== (r.toArticle === null))
        throw badInput('变化', `${rowPlace(r, '对照表')}：“删除”的条款不填「新条款」，其他变化必须填「新条款」`, rowDetails(r));
      await em.query(
        `INSERT INTO provision_crosswalk (from_version_id, to_version_id, from_article, from_paragraph, to_article, to_paragraph, change, source, verified)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (from_version_id, to_version_id, from_article, from_paragraph, to_article, to_paragraph)
         DO UPDATE SET change = EXCLUDED.change, source = EXCLUDED.source, verified = EXCLUDED.verified`,
        [r.fromVersionId, r.toVersionId, r.fromArticle, r.fromParagraph, r.toArticle, r.toParagraph, change, r.source, r.verified],
      );
    }
    return resolved.length;
  }

  /** Repeals: the date, and the successor instrument (which must be in the catalogue). */
  async importRepeals(rows: RepealRow[], em: EntityManager): Promise<number> {
    for (const r of rows) {
      const [instrument] = await em.query('SELECT id FROM legal_instrument WHERE title = $1 OR short_title = $1 ORDER BY (title = $1) DESC LIMIT 1', [r.title]);
      if (!instrument) throw badInput('法规名称', `${rowPlace(r, '废止表')}「法规名称」：目录中没有“${r.title}”`, rowDetails(r));
      let successorId: string | null = null;
      if (r.successorTitle) {
        const [successor] = await em.query('SELECT id FROM legal_instrument WHERE title = $1 OR short_title = $1 ORDER BY (title = $1) DESC LIMIT 1', [r.successorTitle]);
        if (!successor) throw badInput('替代法规', `${rowPlace(r, '废止表')}「替代法规」：目录中没有“${r.successorTitle}”，请先导入其条文`, rowDetails(r));
        if (successor.id === instrument.id) throw badInput('替代法规', `${rowPlace(r, '废止表')}「替代法规」不能是被废止的法规本身`, rowDetails(r));
        successorId = successor.id;
      }
      await em.query('UPDATE legal_instrument SET repealed_on = $2, successor_id = $3 WHERE id = $1', [instrument.id, r.repealedOn, successorId]);
    }
    return rows.length;
  }

  /**
   * A catalogue file in one transaction with its audit event: provisions, crosswalk, repeals, then
   * the citations of every stored version re-resolved by the rule of resolveCitations.
   */
  async importCatalogueFile(actor: Actor, file: CatalogueImport, em: EntityManager, files?: CatalogueFileFacts[]): Promise<CatalogueImportResult> {
    const base = await this.importCatalogue(file.provisions, em);
    const crosswalk = await this.importCrosswalk(file.crosswalk, em);
    const repeals = await this.importRepeals(file.repeals, em);
    const titles = [...new Set([...file.provisions.map((r) => r.title), ...file.crosswalk.map((r) => r.title), ...file.repeals.map((r) => r.title)])];
    const citationsReresolved = await this.reresolveCitations(em, actor, { titles });
    const result = { instruments: base.instruments, provisions: base.provisions, crosswalk, repeals, citationsReresolved };
    await this.audit.record(em, actor, { action: 'importLegalCatalogue', entityType: 'LegalCatalogue', entityId: 'catalogue', regionCode: null, after: { titles, ...result, ...(files ? { files } : {}) } });
    return result;
  }

  /**
   * Recomputes the resolution of stored citations (derived data; the raw text and parsed form
   * stay): published rows against the law in force on the effectiveFrom of the version that wrote
   * them, draft rows against today. Only changed rows are written, under one audit event.
   */
  async reresolveCitations(em: EntityManager, actor: Actor, filter: { titles?: string[]; listId?: string; fromVersion?: number }): Promise<number> {
    const where: string[] = [];
    const params: unknown[] = [todayInChina()];
    if (filter.titles) {
      if (filter.titles.length === 0) return 0;
      // Citations may name an instrument by its short title.
      where.push(`(c.instrument_title = ANY($${params.push(filter.titles)}) OR c.instrument_title IN (SELECT short_title FROM legal_instrument WHERE title = ANY($${params.length}) AND short_title IS NOT NULL)
        OR c.instrument_title IN (SELECT title FROM legal_instrument WHERE short_title = ANY($${params.length})))`);
    }
    if (filter.listId) where.push(`i.list_id = $${params.push(filter.listId)}`);
    if (filter.fromVersion !== undefined) where.push(`i.from_version = $${params.push(filter.fromVersion)}`);
    const rows: Array<{
      id: string; raw: string; instrument_title: string | null; article: number | null; paragraph: number | null; item: number | null; label: string;
      resolved: boolean; instrument_id: string | null; instrument_version_id: string | null; provision_id: string | null; as_of: string; region_code: string;
    }> = await em.query(
      `SELECT c.id, c.raw, c.instrument_title, c.article, c.paragraph, c.item, c.label, c.resolved, c.instrument_id, c.instrument_version_id, c.provision_id,
              CASE WHEN i.pending THEN $1::date ELSE COALESCE(v.effective_from, $1::date) END::text AS as_of, i.region_code
         FROM item_citation c
         JOIN list_item i ON i.id = c.item_id
         LEFT JOIN list_version v ON v.list_id = i.list_id AND v.number = i.from_version
        WHERE c.instrument_title IS NOT NULL ${where.length ? `AND ${where.join(' AND ')}` : ''}`,
      params,
    );
    if (rows.length === 0) return 0;
    const catalogue = await this.loadCatalogue(em, [...new Set(rows.map((r) => r.instrument_title!))]);
    const changed: Array<{ id: string; resolved: boolean; instrumentId: string | null; instrumentVersionId: string | null; provisionId: string | null }> = [];
    for (const r of rows) {
      const parsed: ParsedCitation = {
        raw: r.raw, instrumentTitle: r.instrument_title, article: r.article, paragraph: r.paragraph, item: r.item, label: r.label,
        parsed: r.article !== null || r.label === `《${r.instrument_title}》`,
      };
      const now = resolveIn(catalogue, parsed, r.as_of);
      if (now.resolved !== r.resolved || now.instrumentId !== r.instrument_id || now.instrumentVersionId !== r.instrument_version_id || now.provisionId !== r.provision_id)
        changed.push({ id: r.id, resolved: now.resolved, instrumentId: now.instrumentId, instrumentVersionId: now.instrumentVersionId, provisionId: now.provisionId });
    }
    if (changed.length === 0) return 0;
    await em.query(
      `UPDATE item_citation c SET resolved = u.resolved, instrument_id = u.instrument_id, instrument_version_id = u.instrument_version_id, provision_id = u.provision_id
         FROM unnest($1::uuid[], $2::boolean[], $3::uuid[], $4::uuid[], $5::uuid[]) AS u(id, resolved, instrument_id, instrument_version_id, provision_id)
        WHERE c.id = u.id`,
      [changed.map((c) => c.id), changed.map((c) => c.resolved), changed.map((c) => c.instrumentId), changed.map((c) => c.instrumentVersionId), changed.map((c) => c.provisionId)],
    );
    // Published items show their citations' texts: drop what the public caches hold.
    this.readCache.invalidateOnCommit(em, 'citations', 'answers', 'responses');
    await this.audit.record(em, actor, {
      action: 'reresolveCitations', entityType: 'ItemCitation', entityId: filter.listId ?? 'catalogue', regionCode: null,
      after: { changed: changed.length, checked: rows.length, titles: filter.titles ?? null, fromVersion: filter.fromVersion ?? null },
    });
    return changed.length;
  }

  // ---------------------------------------------------------------- public reads

  /** Instruments whose title or short title contains `search` (all when empty), by title. */
  async searchInstruments(search: string | null | undefined, first: number): Promise<LegalInstrumentEntity[]> {
    const qb = this.dataSource.getRepository(LegalInstrumentEntity).createQueryBuilder('i').orderBy('i.title').limit(first);
    const term = search?.trim();
    if (term) qb.where(`(i.title ILIKE :t ESCAPE '\\' OR i.short_title ILIKE :t ESCAPE '\\')`, { t: `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    return qb.getMany();
  }

  async instrument(id: string): Promise<LegalInstrumentEntity | null> {
    if (!UUID.test(id)) return null;
    return this.dataSource.getRepository(LegalInstrumentEntity).findOneBy({ id });
  }

  /** Instruments by id (successors), per request. */
  createInstrumentLoader(): DataLoader<string, LegalInstrumentEntity | null> {
    return new DataLoader(async (ids) => {
      const rows = await this.dataSource.getRepository(LegalInstrumentEntity).createQueryBuilder('i').where('i.id IN (:...ids)', { ids: [...ids] }).getMany();
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Versions of instruments, oldest first, per request. */
  createVersionsLoader(): DataLoader<string, InstrumentVersionEntity[]> {
    return new DataLoader(async (ids) => {
      const rows = await this.dataSource.getRepository(InstrumentVersionEntity).createQueryBuilder('v').where('v.instrument_id IN (:...ids)', { ids: [...ids] }).getMany();
      const byInstrument = groupBy(rows, (v) => v.instrumentId);
      return ids.map((id) => sortVersions(byInstrument.get(id) ?? []));
    });
  }

  /** Provisions of versions, in article order, per request. */
  createProvisionsLoader(): DataLoader<string, ProvisionEntity[]> {
    return new DataLoader(async (ids) => {
      const rows = await this.dataSource
        .getRepository(ProvisionEntity)
        .createQueryBuilder('p')
        .where('p.instrument_version_id IN (:...ids)', { ids: [...ids] })
        .orderBy('p.article')
        .addOrderBy('p.paragraph', 'ASC', 'NULLS FIRST')
        .addOrderBy('p.item', 'ASC', 'NULLS FIRST')
        .getMany();
      const byVersion = groupBy(rows, (p) => p.instrumentVersionId);
      return ids.map((id) => byVersion.get(id) ?? []);
    });
  }

  /** Crosswalk rows out of versions, per request. */
  createCrosswalkLoader(): DataLoader<string, ProvisionCrosswalkEntity[]> {
    return new DataLoader(async (ids) => {
      const rows = await this.dataSource
        .getRepository(ProvisionCrosswalkEntity)
        .createQueryBuilder('x')
        .where('x.from_version_id IN (:...ids)', { ids: [...ids] })
        .orderBy('x.from_article')
        .addOrderBy('x.from_paragraph', 'ASC', 'NULLS FIRST')
        .addOrderBy('x.to_article', 'ASC', 'NULLS LAST')
        .getMany();
      const byVersion = groupBy(rows, (x) => x.fromVersionId);
      return ids.map((id) => byVersion.get(id) ?? []);
    });
  }

  /**
   * One provision of an instrument (by full or short title) in the version in force on `asOf`:
   * the exact path, else the paragraph or article containing it. Null when the catalogue lacks it.
   */
  async provision(instrumentTitle: string, article: number, paragraph: number | null, item: number | null, asOf: string): Promise<{ provision: ProvisionEntity; version: InstrumentVersionEntity; instrument: LegalInstrumentEntity } | null> {
    const catalogue = await this.loadCatalogue(this.dataSource.manager, [instrumentTitle.replace(/^《|》$/g, '')]);
    const instrument = catalogue.byTitle.get(instrumentTitle.replace(/^《|》$/g, ''));
    if (!instrument) return null;
    const version = versionInForce(catalogue.versionsOf.get(instrument.id) ?? [], asOf);
    if (!version) return null;
    const provision = matchProvision(catalogue.provisionsOf.get(`${version.id}:${article}`) ?? [], { paragraph, item });
    return provision ? { provision, version, instrument } : null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rule of resolution, on a loaded catalogue (see resolveCitations). */
export function resolveIn(catalogue: CatalogueSnapshot, c: ParsedCitation, asOf: string): ResolvedCitation {
  const instrument = c.instrumentTitle ? catalogue.byTitle.get(c.instrumentTitle) : undefined;
  if (!c.parsed || !instrument) return unresolved(c);
  const repealed = instrument.repealedOn !== null && instrument.repealedOn <= asOf;
  const version = repealed ? null : versionInForce(catalogue.versionsOf.get(instrument.id) ?? [], asOf);
  if (!version) return { ...c, instrumentId: instrument.id, instrumentVersionId: null, provisionId: null, resolved: false };
  if (c.article === null) return { ...c, instrumentId: instrument.id, instrumentVersionId: version.id, provisionId: null, resolved: true };
  const provision = matchProvision(catalogue.provisionsOf.get(`${version.id}:${c.article}`) ?? [], c);
  return { ...c, instrumentId: instrument.id, instrumentVersionId: version.id, provisionId: provision?.id ?? null, text: provision?.text ?? null, resolved: !!provision };
}

/** Where a row of a catalogue file is, for a message: its sheet (or file) and row, else the kind of table. */
function rowPlace(r: { row?: number; sheet?: string | null }, table: string, fallbackRow?: number): string {
  const row = r.row ?? fallbackRow;
  return r.sheet ? `工作表“${r.sheet}”第${row}行` : `${table}第${row}行`;
}

/** The row and sheet of a refused catalogue row, for reports that show each problem at its place. */
const rowDetails = (r: { row?: number; sheet?: string | null }, fallbackRow?: number) => ({ row: r.row ?? fallbackRow, sheet: r.sheet ?? null });

function groupBy<T>(values: T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}

function unresolved(c: ParsedCitation): ResolvedCitation {
  return { ...c, instrumentId: null, instrumentVersionId: null, provisionId: null, resolved: false };
}

/** The exact provision, else the one that contains the cited part (the 款 of a cited 项, the 条 of a cited 款). */
/** (Among the provisions of the cited article.) */
export function matchProvision(sameArticle: ProvisionEntity[], c: { paragraph: number | null; item: number | null }): ProvisionEntity | undefined {
  return (
    sameArticle.find((p) => p.paragraph === c.paragraph && p.item === c.item) ??
    sameArticle.find((p) => p.paragraph === c.paragraph && p.item === null) ??
    sameArticle.find((p) => p.paragraph === null && p.item === null) ??
    // A whole article cited where the catalogue holds only some of its paragraphs: the article is
    // in force (it resolves), shown by its first paragraph held.
    (c.paragraph === null ? [...sameArticle].sort((a, b) => (a.paragraph ?? 0) - (b.paragraph ?? 0) || (a.item ?? 0) - (b.item ?? 0))[0] : undefined)
  );
}
