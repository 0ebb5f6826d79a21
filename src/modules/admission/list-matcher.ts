import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AccountabilityService } from '../accountability/accountability.service.js';
import { MAX_QUESTION_LENGTH } from '../accountability/question-analyzer.js';
import { parseLegalBasis, type ParsedCitation } from '../legal/citation-parser.js';
import { LegalService } from '../legal/legal.service.js';
import { ListReadService, PUBLIC_SCOPE } from '../lists/list-read.service.js';
import type { ListVersionModel } from '../lists/list.model.js';
import type { StoredMatch } from './task-request.entity.js';

/** How many ranked answers the check asks the engine for, per township. */
const SEARCH_ANSWERS = 8;

/** A claimed citation, resolved against the legal catalogue where it can be. */
interface ClaimedArticle {
  label: string;
  instrumentId: string | null;
  title: string;
  article: number;
}

/** 《中华人民共和国人民调解法》 and 《人民调解法》 name the same law. */
const sameTitle = (a: string, b: string) => a.replace(/^中华人民共和国/, '') === b.replace(/^中华人民共和国/, '');

/** What the check knows of a task to find it in the lists. */
export interface TaskText {
  title: string;
  content: string;
  claimedBasis: string | null;
}

/**
 * Finds a task in the published lists in force: through the accountability engine (the same
 * search as `whoIsAccountable`, so the check improves with it) and through the citation parser
 * (items citing an article the department claims as its basis). Published data only, whoever asks:
 * a verdict must not depend on drafts.
 */
@Injectable()
export class ListMatcher {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accountability: AccountabilityService,
    private readonly reads: ListReadService,
    private readonly legal: LegalService,
  ) {}

  /** The published versions in force on `asOf` in the townships of a county, by township code. */
  async versionsInForce(countyCode: string, asOf: string): Promise<Map<string, ListVersionModel[]>> {
    const byTownship = new Map<string, ListVersionModel[]>();
    for (const v of await this.reads.versionsInForceWithin(PUBLIC_SCOPE, countyCode, asOf)) {
      byTownship.set(v.regionCode, [...(byTownship.get(v.regionCode) ?? []), v]);
    }
    return byTownship;
  }

  /**
   * The one place the check asks the search engine: the task's title and content as a question
   * about one township on one date, answered with ranked items of its lists in force.
   */
  async searchTask(task: TaskText, townshipCode: string, asOf: string): Promise<StoredMatch[]> {
    const result = await this.accountability.whoIsAccountable(PUBLIC_SCOPE, taskQuestion(task), townshipCode, asOf, SEARCH_ANSWERS);
    return result.answers.map((a) => ({
      itemId: a.item.id,
      itemCode: a.item.itemCode,
      name: a.item.name,
      kind: a.version.kind,
      section: a.item.section,
      townshipRole: a.townshipRole,
      accountableBodyId: a.accountableBodyId,
      townshipDuty: a.item.townshipDuty,
      versionId: a.version.id,
      score: a.score,
      matchedTerms: a.matchedTerms,
      citedArticles: [],
    }));
  }

  /** The claimed basis as canonical labels (for display). */
  claimedLabels(claimedBasis: string | null): string[] {
    return parseLegalBasis(claimedBasis).map((c) => c.label);
  }

  /**
   * Items of the given versions citing an article of the claimed basis (an article, whatever its
   * paragraph: 第三十四条第二款 cites 第三十四条), each with the claimed labels it shares.
   */
  async itemsCitingClaim(versions: ListVersionModel[], claimedBasis: string | null, asOf: string): Promise<StoredMatch[]> {
    const claimed = await this.claimedArticles(claimedBasis, asOf);
    if (!claimed.length || !versions.length) return [];
    const rows: Record<string, any>[] = await this.dataSource.query(
      `WITH versions AS (SELECT * FROM unnest($1::uuid[], $2::int[], $3::uuid[]) AS v(list_id, number, version_id))
       SELECT i.id, i.item_code, i.name, i.kind, i.section, i.township_role, i.accountable_body_id, i.township_duty, v.version_id,
              c.instrument_id, c.instrument_title, c.article
       FROM versions v
       JOIN list_item i ON i.list_id = v.list_id AND NOT i.pending AND i.from_version <= v.number AND (i.to_version IS NULL OR i.to_version > v.number)
       JOIN item_citation c ON c.item_id = i.id
       WHERE c.article = ANY($4::int[])
       ORDER BY i.item_code`,
      [versions.map((v) => v.listId), versions.map((v) => v.number), versions.map((v) => v.id), [...new Set(claimed.map((c) => c.article))]],
    );
    const byItem = new Map<string, StoredMatch>();
    for (const r of rows) {
      const shared = claimed.filter(
        (c) => c.article === r.article && (c.instrumentId && r.instrument_id ? c.instrumentId === r.instrument_id : !!r.instrument_title && sameTitle(c.title, r.instrument_title)),
      );
      if (!shared.length) continue;
      const match = byItem.get(r.id) ?? {
        itemId: r.id, itemCode: r.item_code, name: r.name, kind: r.kind, section: r.section, townshipRole: r.township_role,
        accountableBodyId: r.accountable_body_id, townshipDuty: r.township_duty, versionId: r.version_id, score: 0, matchedTerms: [], citedArticles: [],
      };
      match.citedArticles = [...new Set([...match.citedArticles, ...shared.map((c) => c.label)])];
      byItem.set(r.id, match);
    }
    return [...byItem.values()];
  }

  private async claimedArticles(claimedBasis: string | null, asOf: string): Promise<ClaimedArticle[]> {
    const parsed = parseLegalBasis(claimedBasis).filter((c): c is ParsedCitation & { instrumentTitle: string; article: number } => !!c.instrumentTitle && c.article !== null);
    const resolved = await this.legal.resolveCitations(parsed, asOf);
    // The article is what must match: 《…》第三十四条第二款 is quoted as 《…》第三十四条.
    return resolved.map((c) => ({ label: `《${c.instrumentTitle}》${articleLabel(c.label, c.instrumentTitle!)}`, instrumentId: c.instrumentId, title: c.instrumentTitle!, article: c.article! }));
  }
}

/** 第三十四条 out of 《title》第三十四条第二款. */
function articleLabel(label: string, title: string): string {
  const rest = label.replace(`《${title}》`, '');
  return /^第[^条]+条/.exec(rest)?.[0] ?? rest;
}

/** The task as a question the engine accepts: one line, within its length limit, the title first. */
export function taskQuestion(task: Pick<TaskText, 'title' | 'content'>): string {
  const text = `${task.title}。${task.content}`.replace(/\s+/g, ' ').trim();
  return [...text].slice(0, MAX_QUESTION_LENGTH).join('');
}
