import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { can, coversRegion, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput, conflict, forbidden, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { AuditService } from '../audit/audit.service.js';
import { contentFromRow, contentToInput, bodyIdsOf, ITEM_LIMITS } from '../lists/item-fields.js';
import { ListVersionsService } from '../lists/list-versions.service.js';
import type { ListItemInput } from '../lists/list.model.js';
import { PUBLIC_SCOPE } from '../lists/list-read.service.js';
import { RegionsService } from '../regions/regions.service.js';
import { regionCodeRange } from '../regions/region-code.js';
import type { AccountabilityResultModel } from './accountability.model.js';
import { AccountabilityService } from './accountability.service.js';
import { MAX_QUESTION_LENGTH } from './question-analyzer.js';
import { SynonymsService } from './synonyms.service.js';

/** A question as the public endpoint was asked it. */
export interface AskedQuestion {
  question: string;
  regionCode: string;
  asOf: string | null;
  first: number | null;
  /** The answer, when the resolver computed it in this request (absent on a response-cache hit). */
  result?: AccountabilityResultModel;
}

/** Below this score the first answer is "low confidence" (one name word, or a lexicon term in a description). */
export const LOW_CONFIDENCE_SCORE = 2;
const FLUSH_MS = 250;
const MAX_PENDING = 10_000;
const PURGE_EVERY_MS = 3600_000;

export type QueueReason = 'NO_ANSWER' | 'LOW_CONFIDENCE' | 'MARKED_WRONG';
export type QuestionMapping = 'ITEM_ALIAS' | 'SYNONYM';

export interface QueuedQuestion {
  id: string;
  question: string;
  regionCode: string;
  timesAsked: number;
  lastAskedOn: string;
  resultCount: number;
  topItemCode: string | null;
  topItemName: string | null;
  topScore: number | null;
  notHelpful: number;
  helpful: number;
  reason: QueueReason;
}

/**
 * Learning from real questions: the log of public questions (text, region, date, result count,
 * top item — no IP, no user), the queue of unanswered and low-confidence ones for editors, the
 * mapping of a logged question to an item (an alias of the item in the list's draft, or a synonym),
 * and the portal's "was this right?".
 *
 * The log is written off the answer's path: `record` only queues the question; a timer writes
 * the queue in one INSERT, in a transaction (transactions always run on the primary, even for a
 * request routed to a replica: src/database/read-routing.ts). A question answered from the
 * response cache is logged too (its answer is then read from the answer cache, or recomputed,
 * after the response was sent). Entries older than QUESTION_LOG_RETENTION_DAYS are deleted.
 */
@Injectable()
export class QuestionLogService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('QuestionLog');
  private pending: AskedQuestion[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private lastPurge = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
    private readonly accountability: AccountabilityService,
    private readonly regions: RegionsService,
    private readonly versions: ListVersionsService,
    private readonly synonyms: SynonymsService,
    private readonly audit: AuditService,
  ) {}

  /** Queues a public question for the log; never waits, never fails the answer. */
  record(asked: AskedQuestion): void {
    if (this.pending.length >= MAX_PENDING) return; // the database is not keeping up: drop rather than grow
    this.pending.push(asked);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flushing = this.flushing.then(() => this.flush());
    }, FLUSH_MS);
    this.timer.unref?.();
  }

  /** Writes what is queued (tests and shutdown call it to be sure it is written). */
  async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    if (!batch.length) return;
    try {
      const rows: Record<string, unknown>[] = [];
      for (const asked of batch) {
        const result =
          asked.result ??
          (await this.accountability.whoIsAccountable(PUBLIC_SCOPE, asked.question, asked.regionCode, asked.asOf, asked.first).catch(() => null));
        if (!result) continue;
        const [top] = result.answers;
        rows.push({
          asked_on: todayInChina(), region_code: result.regionCode, question: result.question, intent: result.intent,
          result_count: result.answers.length, top_item_code: top?.item.itemCode ?? null, top_item_name: top?.item.name ?? null, top_score: top?.score ?? null,
        });
      }
      if (!rows.length) return;
      await this.dataSource.transaction(async (em) => {
        await em.query(
          `INSERT INTO question_log (asked_on, region_code, question, intent, result_count, top_item_code, top_item_name, top_score)
           SELECT r.asked_on, r.region_code, r.question, r.intent, r.result_count, r.top_item_code, r.top_item_name, r.top_score
           FROM jsonb_to_recordset($1::jsonb) AS r(asked_on date, region_code text, question text, intent text, result_count int, top_item_code text, top_item_name text, top_score float8)`,
          [JSON.stringify(rows)],
        );
        if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
          this.lastPurge = Date.now();
          await this.purge(em);
        }
      });
    } catch (e) {
      this.logger.warn(`questions not logged: ${(e as Error).message}`);
    }
  }

  /** Deletes entries older than the retention setting; answers the rows deleted. */
  async purge(em: EntityManager = this.dataSource.manager): Promise<number> {
    const days = this.config.questionLogRetentionDays;
    const [, logged] = await em.query(`DELETE FROM question_log WHERE asked_at < now() - make_interval(days => $1)`, [days]);
    const [, feedback] = await em.query(`DELETE FROM answer_feedback WHERE given_at < now() - make_interval(days => $1)`, [days]);
    return Number(logged ?? 0) + Number(feedback ?? 0);
  }

  /** Writes everything queued now, a flush in progress included (shutdown, and tests that count statements). */
  async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    await this.flush();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.drain();
  }

  /** The portal's "was this right?" (POST /feedback/answers). */
  async recordFeedback(input: { question?: unknown; regionCode?: unknown; itemCode?: unknown; helpful?: unknown }): Promise<void> {
    const question = typeof input.question === 'string' ? input.question.normalize('NFKC').trim() : '';
    if (!question || [...question].length > MAX_QUESTION_LENGTH) throw badInput('question', `问题应为1至${MAX_QUESTION_LENGTH}个字`);
    if (typeof input.regionCode !== 'string' || !/^\d{12}$/.test(input.regionCode)) throw badInput('regionCode', '区划代码应为12位数字');
    const region = await this.regions.requireRegion(input.regionCode, 'regionCode');
    const itemCode = input.itemCode === undefined || input.itemCode === null || input.itemCode === '' ? null : input.itemCode;
    if (itemCode !== null && (typeof itemCode !== 'string' || itemCode.length > ITEM_LIMITS.itemCode || /[\u0000-\u001F]/.test(itemCode)))
      throw badInput('itemCode', `事项编码应为不超过${ITEM_LIMITS.itemCode}个字符的文本`);
    const helpful = input.helpful === true || input.helpful === 'true' ? true : input.helpful === false || input.helpful === 'false' ? false : null;
    if (helpful === null) throw badInput('helpful', 'helpful 应为 true（答对了）或 false（答错了）');
    await this.dataSource.transaction((em) =>
      em.query(`INSERT INTO answer_feedback (region_code, question, item_code, helpful) VALUES ($1, $2, $3, $4)`, [region.code, question, itemCode, helpful]),
    );
  }

  /**
   * Logged questions of a region (a township, or a county's townships) not mapped yet, that got
   * no answer, a low-confidence one, or a "not right" from the portal: one entry per question,
   * the most asked first.
   */
  async queue(actor: Actor, regionInput: string, first: number | null | undefined): Promise<QueuedQuestion[]> {
    const region = await this.regions.requireRegion(regionInput, 'regionCode');
    if (!coversRegion(actor, region.code)) throw forbidden(`“${region.name}”不在您的管辖区划内`);
    const limit = first ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw badInput('first', 'first 应为1至200之间的整数');
    const [low, high] = regionCodeRange(region.code);
    const rows: Record<string, any>[] = await this.dataSource.query(
      `WITH logged AS (
         SELECT DISTINCT ON (question, region_code) id, question, region_code, asked_on, result_count, top_item_code, top_item_name, top_score,
                count(*) OVER (PARTITION BY question, region_code) AS times_asked
         FROM question_log q WHERE region_code BETWEEN $1 AND $2 AND mapped_at IS NULL
           -- a question once mapped stays out, even when asked again before its alias is published
           AND NOT EXISTS (SELECT 1 FROM question_log m WHERE m.question = q.question AND m.region_code = q.region_code AND m.mapped_at IS NOT NULL)
         ORDER BY question, region_code, asked_at DESC
       ), judged AS (
         SELECT l.*, coalesce(f.not_helpful, 0) AS not_helpful, coalesce(f.helpful, 0) AS helpful FROM logged l
         LEFT JOIN (SELECT question, region_code, count(*) FILTER (WHERE NOT helpful) AS not_helpful, count(*) FILTER (WHERE helpful) AS helpful
                    FROM answer_feedback WHERE region_code BETWEEN $1 AND $2 GROUP BY question, region_code) f
           ON f.question = l.question AND f.region_code = l.region_code
       )
       SELECT * FROM judged WHERE result_count = 0 OR top_score < $3 OR not_helpful > helpful
       ORDER BY times_asked DESC, asked_on DESC, question LIMIT $4`,
      [low, high, LOW_CONFIDENCE_SCORE, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      question: r.question,
      regionCode: r.region_code,
      timesAsked: Number(r.times_asked),
      lastAskedOn: typeof r.asked_on === 'string' ? r.asked_on.slice(0, 10) : new Date(r.asked_on).toISOString().slice(0, 10),
      resultCount: r.result_count,
      topItemCode: r.top_item_code,
      topItemName: r.top_item_name,
      topScore: r.top_score === null ? null : Number(r.top_score),
      notHelpful: Number(r.not_helpful),
      helpful: Number(r.helpful),
      reason: Number(r.not_helpful) > Number(r.helpful) ? 'MARKED_WRONG' : r.result_count === 0 ? 'NO_ANSWER' : 'LOW_CONFIDENCE',
    }));
  }

  /**
   * Maps a logged question to the item that answers it: its phrase becomes an alias (常见问法) of
   * the item in the list's draft (opened if there is none; published with the next version), or,
   * for an ADMIN, a synonym expanding to the item's name (applies at once, everywhere). Every
   * entry of the same question in the same region leaves the queue. One transaction, audited.
   */
  async map(actor: Actor, questionId: string, itemCode: string, as: QuestionMapping, phraseInput: string | null | undefined) {
    if (!isUuid(questionId)) throw forbidden('该提问记录不存在或不在您的管辖区划内');
    return this.dataSource.transaction(async (em) => {
      const [logged] = await em.query(`SELECT id, question, region_code FROM question_log WHERE id = $1`, [questionId]);
      if (!logged || !coversRegion(actor, logged.region_code)) throw forbidden('该提问记录不存在或不在您的管辖区划内');
      const phrase = (phraseInput ?? logged.question).normalize('NFKC').replace(/[\p{P}\p{S}\s]+/gu, '');
      if (!phrase || [...phrase].length > 50) throw badInput('phrase', '问法应为1至50个字（不含标点）');
      const [low, high] = regionCodeRange(logged.region_code);
      const [item] = await em.query(
        `SELECT i.*, l.region_code AS list_region, l.kind AS list_kind, l.id AS the_list_id FROM list_item i JOIN duty_list l ON l.id = i.list_id
         WHERE i.item_code = $1 AND l.region_code BETWEEN $2 AND $3 AND NOT i.pending AND NOT i.removed AND i.to_version IS NULL
         ORDER BY i.from_version DESC LIMIT 1`,
        [itemCode, low, high],
      );
      if (!item) throw notFound(`在提问的区划内未找到现行事项“${itemCode}”`);
      if (!coversRegion(actor, item.list_region)) throw forbidden('该事项不在您的管辖区划内');
      let mappedTo: Record<string, unknown>;
      if (as === 'SYNONYM') {
        if (!can(actor, Permission.MANAGE_CATALOGUE)) throw forbidden('同义词对所有地区生效，只有系统管理员可以添加；请改为添加为该事项的常见问法（ITEM_ALIAS）');
        const saved = await this.synonyms.save(actor, phrase, [item.name], em);
        mappedTo = { as, itemCode, term: saved.term, expansions: saved.expansions };
      } else {
        const draft = await this.openDraft(em, actor, item.the_list_id, item.list_region, item.list_kind);
        // The item as the draft has it (a pending row), else as in force.
        const [current] = await em.query(
          `SELECT * FROM list_item WHERE list_id = $1 AND item_code = $2 AND ((pending AND from_version = $3) OR (NOT pending AND to_version IS NULL))
           ORDER BY pending DESC LIMIT 1`,
          [item.the_list_id, itemCode, draft.number],
        );
        if (!current || current.removed) throw conflict(`事项“${itemCode}”已在草稿 v${draft.number} 中删除`, { versionId: draft.id });
        const content = contentFromRow(current);
        if (content.aliases.includes(phrase)) throw conflict(`“${phrase}”已是该事项的常见问法`);
        if (content.aliases.length >= ITEM_LIMITS.listElements) throw badInput('phrase', `一个事项最多${ITEM_LIMITS.listElements}个常见问法`);
        // Inside this transaction (the embedded engine has one connection): the bodies' names by id.
        const bodies: { id: string; name: string }[] = await em.query(`SELECT id, name FROM body WHERE id = ANY($1::uuid[])`, [bodyIdsOf([content])]);
        const names = new Map(bodies.map((b) => [b.id, b.name]));
        const input = { ...contentToInput(itemCode, content, names), aliases: [...content.aliases, phrase] } as unknown as ListItemInput;
        await this.versions.saveItem(actor, draft.id, input, null, em);
        mappedTo = { as, itemCode, versionId: draft.id, versionNumber: draft.number, phrase };
      }
      await em.query(
        `UPDATE question_log SET mapped_at = now(), mapped_by = $3, mapped_to = $4::jsonb WHERE question = $1 AND region_code = $2 AND mapped_at IS NULL`,
        [logged.question, logged.region_code, actor.username ?? 'system', JSON.stringify(mappedTo)],
      );
      await this.audit.record(em, actor, {
        action: 'mapQuestion', entityType: 'QuestionLog', entityId: logged.id, regionCode: logged.region_code, before: { question: logged.question }, after: mappedTo,
      });
      return { questionId: logged.id, question: logged.question, as, itemCode, phrase, versionId: (mappedTo.versionId as string | undefined) ?? null };
    });
  }

  /** The list's open draft, or a new one based on the version in force (an alias waits for the next publication). */
  private async openDraft(em: EntityManager, actor: Actor, listId: string, regionCode: string, kind: string): Promise<{ id: string; number: number }> {
    const [open] = await em.query(`SELECT id, number, status FROM list_version WHERE list_id = $1 AND status NOT IN ('PUBLISHED', 'SUPERSEDED') ORDER BY number DESC LIMIT 1`, [listId]);
    if (open && open.status !== 'DRAFT') throw conflict(`该清单的 v${open.number} 正在审核中，请在其退回或发布后再添加常见问法`, { versionId: open.id });
    if (open) return { id: open.id, number: open.number };
    const created = await this.versions.createDraft(actor, regionCode, kind as 'POWER' | 'RESPONSIBILITY', '其他', em);
    return { id: created.id, number: created.number };
  }
}
