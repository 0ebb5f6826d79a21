import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
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

@Injectable()
export class LegalService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Links citations to provisions. The instrument is found by full or short title; the version is
   * the one in force on `asOf`, or else the latest that has the cited provision (a list compiled
   * before an amendment still cites the old numbering, and keeps its text).
   */
  async resolveCitations(citations: ParsedCitation[], asOf: string, manager?: EntityManager): Promise<ResolvedCitation[]> {
    const em = manager ?? this.dataSource.manager;
    const titles = [...new Set(citations.map((c) => c.instrumentTitle).filter((t): t is string => !!t))];
    if (titles.length === 0) return citations.map(unresolved);
    const instruments: LegalInstrumentEntity[] = await em
      .createQueryBuilder(LegalInstrumentEntity, 'i')
      .where('i.title IN (:...titles) OR i.short_title IN (:...titles)', { titles })
      .getMany();
    const byTitle = new Map<string, LegalInstrumentEntity>();
    for (const i of instruments) byTitle.set(i.title, i);
    for (const i of instruments) if (i.shortTitle && !byTitle.has(i.shortTitle)) byTitle.set(i.shortTitle, i);
    if (instruments.length === 0) return citations.map(unresolved);
    const versions: InstrumentVersionEntity[] = await em
      .createQueryBuilder(InstrumentVersionEntity, 'v')
      .where('v.instrument_id IN (:...ids)', { ids: instruments.map((i) => i.id) })
      .getMany();
    const provisions: ProvisionEntity[] = versions.length
      ? await em.createQueryBuilder(ProvisionEntity, 'p').where('p.instrument_version_id IN (:...ids)', { ids: versions.map((v) => v.id) }).getMany()
      : [];
    // Indexed once: an import resolves tens of thousands of citations against the same few instruments.
    const versionsOf = groupBy(versions, (v) => v.instrumentId);
    // Newest first; the version in force on asOf leads, then older and undated ones.
    for (const list of versionsOf.values()) list.sort((a, b) => (b.effectiveFrom ?? '').localeCompare(a.effectiveFrom ?? ''));
    const provisionsOf = groupBy(provisions, (p) => `${p.instrumentVersionId}:${p.article}`);
    return citations.map((c) => {
      const instrument = c.instrumentTitle ? byTitle.get(c.instrumentTitle) : undefined;
      if (!c.parsed || !instrument) return unresolved(c);
      const ofInstrument = versionsOf.get(instrument.id) ?? [];
      const inForce = ofInstrument.find((v) => !v.effectiveFrom || v.effectiveFrom <= asOf) ?? ofInstrument[0];
      const ordered = inForce ? [inForce, ...ofInstrument.filter((v) => v !== inForce)] : [];
      if (c.article === null) {
        return { ...c, instrumentId: instrument.id, instrumentVersionId: inForce?.id ?? null, provisionId: null, resolved: true };
      }
      for (const version of ordered) {
        const provision = matchProvision(provisionsOf.get(`${version.id}:${c.article}`) ?? [], c);
        if (provision) return { ...c, instrumentId: instrument.id, instrumentVersionId: version.id, provisionId: provision.id, text: provision.text, resolved: true };
      }
      return { ...c, instrumentId: instrument.id, instrumentVersionId: inForce?.id ?? null, provisionId: null, resolved: false };
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
        throw badInput('rank', `第${index + 2}行「位阶」：“${row.rank}”无效，应为：${LEGAL_RANKS.join('、')}`);
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
}

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
function matchProvision(sameArticle: ProvisionEntity[], c: ParsedCitation): ProvisionEntity | undefined {
  return (
    sameArticle.find((p) => p.paragraph === c.paragraph && p.item === c.item) ??
    sameArticle.find((p) => p.paragraph === c.paragraph && p.item === null) ??
    sameArticle.find((p) => p.paragraph === null && p.item === null)
  );
}
