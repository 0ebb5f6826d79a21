import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Feed } from 'feed';
import type { DataSource } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import type { ListKind } from '../lists/duty-list.entity.js';
import { changeCountsSql } from '../lists/item.repository.js';
import { PUBLISHED_STATUSES } from '../lists/list-version.entity.js';
import { regionCodeRange } from '../regions/region-code.js';
import { RegionsService } from '../regions/regions.service.js';
import { LIST_KIND_LABEL } from './county-views.service.js';

/** One publication in a region: a published version and what it changed. */
export interface Publication {
  versionId: string;
  basedOnId: string | null;
  number: number;
  kind: ListKind;
  regionCode: string;
  townshipName: string;
  effectiveFrom: string;
  approvalDocNumber: string;
  changeReason: string | null;
  publishedAt: Date;
  added: number;
  changed: number;
  removed: number;
}

/** Entries in a feed: the newest publications. */
export const FEED_ENTRIES = 50;

/** Where a publication's changes are shown: the diff against the version it replaced (the version itself for a first one). */
export const publicationPath = (p: Pick<Publication, 'versionId' | 'basedOnId'>) => (p.basedOnId ? `/versions/${p.versionId}/diff/${p.basedOnId}` : `/versions/${p.versionId}`);

export const publicationTitle = (p: Pick<Publication, 'townshipName' | 'kind' | 'number' | 'approvalDocNumber'>) =>
  `${p.townshipName}${LIST_KIND_LABEL[p.kind]}第${p.number}版（${p.approvalDocNumber}）`;

export const publicationSummary = (p: Publication) =>
  `${p.townshipName}${LIST_KIND_LABEL[p.kind]}第${p.number}版，批准文号${p.approvalDocNumber}，自${p.effectiveFrom}起施行` +
  (p.basedOnId ? `；与上一版相比新增${p.added}项、调整${p.changed}项、删除${p.removed}项` : `；首次发布，共${p.added}项`) +
  (p.changeReason ? `；调整原因：${p.changeReason}` : '') +
  '。';

/**
 * The change feed of a county or a township (Atom 1.0): one entry per publication, newest first.
 * Published versions never change, so an entry never changes either.
 */
@Injectable()
export class PublicationFeedService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
  ) {}

  async publications(regionInput: string): Promise<{ region: { code: string; name: string; level: string }; publications: Publication[] }> {
    const region = await this.regions.requireRegion(regionInput, 'regionCode');
    if (region.level !== 'COUNTY' && region.level !== 'TOWNSHIP') throw badInput('regionCode', `“${region.name}”不是县级或乡镇级区划：订阅请填写县（市、区）或乡镇（街道）的代码`);
    const [low, high] = regionCodeRange(region.code);
    const rows: Record<string, any>[] = await this.dataSource.query(
      `SELECT v.id, v.based_on_id, v.number, v.kind, v.region_code, r.name AS township_name, to_char(v.effective_from, 'YYYY-MM-DD') AS effective_from,
         v.approval_doc_number, v.change_reason, v.published_at, ${changeCountsSql('v.list_id', 'v.number')}
       FROM list_version v JOIN region r ON r.code = v.region_code
       WHERE v.region_code BETWEEN $1 AND $2 AND v.status = ANY($3::text[])
       ORDER BY v.published_at DESC, v.id LIMIT $4`,
      [low, high, PUBLISHED_STATUSES, FEED_ENTRIES],
    );
    return {
      region: { code: region.code, name: region.name, level: region.level },
      publications: rows.map((r) => ({
        versionId: r.id, basedOnId: r.based_on_id, number: r.number, kind: r.kind, regionCode: r.region_code, townshipName: r.township_name,
        effectiveFrom: r.effective_from, approvalDocNumber: r.approval_doc_number, changeReason: r.change_reason, publishedAt: new Date(r.published_at),
        added: r.added, changed: r.changed, removed: r.removed,
      })),
    };
  }

  /** The Atom document; `origin` (scheme and host) makes the links absolute. */
  async atom(regionInput: string, origin: string): Promise<string> {
    const { region, publications } = await this.publications(regionInput);
    const self = `${origin}/feeds/regions/${region.code}.atom`;
    const feed = new Feed({
      id: `urn:quanze:feed:region:${region.code}`,
      title: `${region.name}权责清单发布动态`,
      description: `${region.name}${region.level === 'COUNTY' ? '各乡镇（街道）' : ''}权力清单和责任清单每次发布的版本、批准文号、施行日期和变化`,
      link: `${origin}/`,
      language: 'zh-CN',
      updated: publications[0]?.publishedAt ?? new Date(0),
      generator: 'Quanze',
      feedLinks: { atom: self },
      author: { name: region.name },
      copyright: `${region.name}`,
    });
    for (const p of publications) {
      feed.addItem({
        id: `urn:quanze:version:${p.versionId}`,
        title: publicationTitle(p),
        link: `${origin}${publicationPath(p)}`,
        date: p.publishedAt,
        published: p.publishedAt,
        description: publicationSummary(p),
      });
    }
    return feed.atom1();
  }
}
