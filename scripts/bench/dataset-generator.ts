import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../src/auth/actor.js';
import { readCsvRecords } from '../../src/common/csv.js';
import { demoFile } from '../../src/seed/demo-files.js';
import { readCatalogueCsv } from '../../src/seed/seed.service.js';
import { searchDocument, SEARCH_DOCUMENT_VERSION, SEARCH_VECTOR_SQL } from '../../src/modules/accountability/item-search-document.js';
import { CONTENT_FIELDS, contentToRecord, type ItemContent } from '../../src/modules/lists/item-fields.js';
import type { AuditService } from '../../src/modules/audit/audit.service.js';
import { parseLegalBasis } from '../../src/modules/legal/citation-parser.js';
import type { LegalService, ResolvedCitation } from '../../src/modules/legal/legal.service.js';
import type { ListKind } from '../../src/modules/lists/duty-list.entity.js';
import { SECTION_ROLE } from '../../src/modules/lists/list-item.preparer.js';
import type { TownshipRole } from '../../src/modules/lists/list-item.entity.js';
import { recordToItemInput } from '../../src/modules/lists/list-sheet.js';
import type { ListItemInput } from '../../src/modules/lists/list.model.js';
import type { RegionsService } from '../../src/modules/regions/regions.service.js';
import { copyBool, copyInt, copyLine, copyText, COPY_NULL } from './copy-text.js';

/**
 * `dataset:generate`: a registry at national scale for benchmarks, filled fast.
 *
 * - Real township codes and names from the `region` table, whole counties at a time (seeded
 *   shuffle), so county-wide questions see every township of a county.
 * - Bodies per county (the county government and departments, per township its government,
 *   enforcement team and police station), named like the demo county's.
 * - Both kinds of list per township, `--versions` versions each: the latest PUBLISHED, earlier
 *   ones SUPERSEDED, some lists one version short, a few with an open DRAFT (pending rows and a
 *   removal marker). Item rows are temporal exactly as the app writes them (from_version,
 *   to_version, pending), ~8 % of items changed, ~1.5 % removed and ~1.5 % added per version.
 * - Item texts are the demo lists' wording (src/seed/demo/*.csv) with county and town names made
 *   generic, varied per item by a qualifier (…（日常巡查）) and per version by an amendment, so
 *   every township's list holds a few hundred distinct items from a shared vocabulary, as real
 *   lists copied from a provincial template do. The columns are the item fields'
 *   (src/modules/lists/item-fields.ts), and search_vector is built as the app builds it
 *   (`searchDocument` + `SEARCH_VECTOR_SQL`): each distinct text is segmented once and its vector
 *   computed once by PostgreSQL, then reused for every row that holds it.
 * - Citations resolved once per template against the legal catalogue (the demo catalogue is
 *   imported when the catalogue is empty).
 *
 * Loading: one transaction. Lists and versions are COPYed; item rows are planned in Node as narrow
 * rows (ids, codes, version range, bodies, which distinct text) COPYed into a temporary table,
 * and joined with the distinct texts (another temporary table, vectors parsed once) by one
 * INSERT … SELECT; citations likewise from the templates' resolved citations. When the load is
 * larger than what the tables hold, list_item's and item_citation's indexes and constraints
 * (primary keys included) are dropped first and rebuilt after the load from their own definitions (pg_get_indexdef / pg_get_constraintdef), which also
 * re-validates the foreign keys and the item-code exclusion constraint. The immutability
 * triggers of list_item and item_citation are disabled with `ALTER TABLE … DISABLE TRIGGER`
 * inside the transaction (table owner, not superuser; invisible to other sessions, which wait on
 * the table lock) because rows are written in their final published/pending state; the states
 * those triggers guard are then checked by queries before commit. Nothing else may use the
 * database while it runs.
 */

export interface DatasetOptions {
  townships: number;
  /** All townships in one county (the first, in seeded order, with that many townships without lists): the county-matrix tier. */
  oneCounty?: boolean;
  items: number;
  versions: number;
  seed: number;
  log?: (line: string) => void;
}

export interface DatasetReport {
  townships: number;
  counties: number;
  bodies: number;
  lists: number;
  versions: number;
  itemRows: number;
  citationRows: number;
  distinctTexts: number;
  indexesRebuilt: boolean;
  seconds: Record<string, number>;
}

const GENERATOR: Actor = { userId: null, username: 'dataset-generator', role: 'ADMIN', regionCode: null };

/** Item fields whose value varies by row (the township's bodies, the role): gen_row carries them; gen_doc the rest. */
const PER_ROW = new Set(['accountableBodyId', 'townshipRole', 'cooperating']);

/** Qualifiers that turn one template into distinct items of a list (v = 0 is the template itself). */
const QUALIFIERS = [
  '', '（日常巡查）', '（专项整治）', '（宣传教育）', '（信息报送）', '（应急处置）', '（监督检查）', '（隐患排查）', '（统计上报）',
  '（投诉举报处理）', '（档案管理）', '（业务培训）', '（联合执法）', '（台账建设）', '（考核评估）', '（政策落实）', '（源头治理）',
  '（网格化管理）', '（督促整改）', '（数据核查）',
];
const QUALIFIER_LEADS = [
  '', '建立日常巡查制度，', '组织开展专项整治行动，', '开展政策法规宣传教育，', '按规定报送工作信息，', '制定应急处置预案，',
  '依法开展监督检查，', '定期开展隐患排查，', '做好统计数据采集上报，', '受理和处理投诉举报，', '建立健全工作档案，',
  '组织业务培训，', '配合开展联合执法，', '建立工作台账，', '开展工作考核评估，', '督促相关政策落实到位，', '加强源头治理，',
  '纳入网格化管理，', '督促责任单位整改，', '开展数据核查比对，',
];
/** What a later version changes in an item (amendment a ≥ 1). */
const AMENDMENTS = [
  '根据机构改革后的职责分工调整承办机构和工作流程。',
  '依据新修订的法律法规更新实施依据和办理时限。',
  '落实“高效办成一件事”要求，压减办理环节和申请材料。',
  '增加信息化平台办理方式，实行网上受理、限时办结。',
  '明确与县级部门的职责边界，细化配合事项和移交程序。',
  '根据上级部门收回事项的决定调整乡镇职责范围。',
];

type BodyRole = { scope: 'county' | 'township' | 'police'; suffix: string; kind: string };

interface Template {
  kind: ListKind;
  prefix: string;
  input: ListItemInput;
  role: BodyRole;
  cooperating: { role: BodyRole; duty: string }[];
  citations: ResolvedCitation[];
  townshipRole: TownshipRole;
}

interface Township {
  code: string;
  name: string;
  countyCode: string;
}

/** A deterministic PRNG (mulberry32), so the same seed gives the same dataset. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    shuffle<T>(xs: T[]): T[] {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j], xs[i]];
      }
      return xs;
    },
  };
}

/**
 * UUIDs unique by construction: 72 random bits per run (18 hex digits), the list's index and a
 * counter within the list, laid out as a version-4 UUID. No two rows of a run can collide, and
 * runs differ in their salt.
 */
function idStream(salt: string, listIndex: number) {
  if (listIndex >= 2 ** 24) throw new Error('too many lists for one run');
  const list = listIndex.toString(16).padStart(6, '0');
  let counter = 0;
  return {
    uuid(): string {
      if (counter >= 2 ** 24) throw new Error('too many rows in one list');
      const c = (counter++).toString(16).padStart(6, '0');
      return `${salt.slice(0, 8)}-${salt.slice(8, 12)}-4${salt.slice(12, 15)}-8${salt.slice(15, 18)}-${list}${c}`;
    },
  };
}

// ---------------------------------------------------------------- templates from the demo lists

const DEMO_TOWNS = ['张渚镇', '徐舍镇'];
/** The demo county's names made generic in item texts: rows of every county share them. */
const neutral = (text: string | null | undefined): string | null =>
  text == null ? null : text.replace(/无锡市宜兴/g, '县').replace(/宜兴市/g, '县').replace(/张渚镇|徐舍镇/g, '本镇').replace(/张渚|徐舍/g, '本镇');

function bodyRole(name: string, kinds: Map<string, string>): BodyRole {
  const kind = kinds.get(name) ?? '政府部门';
  for (const town of DEMO_TOWNS) if (name.startsWith(town)) return { scope: 'township', suffix: name.slice(town.length), kind };
  if (/^宜兴市公安局.+派出所$/.test(name)) return { scope: 'police', suffix: '派出所', kind };
  const county = /^(?:无锡市宜兴|宜兴市)(.+)$/.exec(name);
  if (county) return { scope: 'county', suffix: county[1], kind };
  throw new Error(`demo body ${name}: no role`);
}

function loadTemplates(): Template[] {
  const kinds = new Map(readCsvRecords(fs.readFileSync(demoFile('bodies.csv'), 'utf8')).map((r) => [r['主体名称'], r['主体类型']]));
  const files: [string, ListKind][] = [['town-A-power.csv', 'POWER'], ['town-A-responsibility.csv', 'RESPONSIBILITY'], ['town-B-responsibility.csv', 'RESPONSIBILITY']];
  const templates: Template[] = [];
  for (const [file, kind] of files) {
    for (const record of readCsvRecords(fs.readFileSync(demoFile(file), 'utf8'))) {
      const input = recordToItemInput(kind, record);
      const role = bodyRole(input.accountableBodyName, kinds);
      const own = role.scope !== 'county';
      const townshipRole: TownshipRole = input.section ? SECTION_ROLE[input.section] : own ? 'LEAD' : 'COOPERATE';
      templates.push({
        kind,
        prefix: input.itemCode.split('-')[2] ?? 'SX',
        role,
        townshipRole,
        cooperating: (input.cooperating ?? []).map((c) => ({ role: bodyRole(c.bodyName, kinds), duty: neutral(c.duty)! })),
        citations: [],
        input: {
          ...input,
          name: neutral(input.name)!,
          description: neutral(input.description),
          subItem: neutral(input.subItem),
          handlingUnit: neutral(input.handlingUnit),
          townshipDuty: neutral(input.townshipDuty),
          villageDuty: neutral(input.villageDuty),
          stagedDuties: (input.stagedDuties ?? []).map((s) => neutral(s)!),
          accountabilityCircumstances: (input.accountabilityCircumstances ?? []).map((s) => neutral(s)!),
          exemptions: (input.exemptions ?? []).map((s) => neutral(s)!),
          keywords: input.keywords ?? [],
        },
      });
    }
  }
  return templates;
}

// ---------------------------------------------------------------- the generator

/** One item state of a list, before it is written: which text it holds and its range of versions. */
interface RowPlan {
  id: string;
  code: string;
  t: number;
  v: number;
  a: number;
  from: number;
  to: number | null;
  pending: boolean;
  removed: boolean;
}

export class DatasetGenerator {
  private readonly log: (line: string) => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly legal: LegalService,
    private readonly audit: AuditService,
    log?: (line: string) => void,
  ) {
    this.log = log ?? (() => {});
  }

  async generate(options: DatasetOptions): Promise<DatasetReport> {
    const { townships: wanted, items, versions } = options;
    if (!Number.isInteger(wanted) || wanted < 1) throw new Error('--townships must be a whole number ≥ 1');
    if (!Number.isInteger(items) || items < 1 || items > 2000) throw new Error('--items must be between 1 and 2000');
    if (!Number.isInteger(versions) || versions < 1 || versions > 20) throw new Error('--versions must be between 1 and 20');
    const rnd = prng(options.seed);
    const seconds: Record<string, number> = {};
    let mark = Date.now();
    const lap = (name: string) => {
      const now = Date.now();
      seconds[name] = (now - mark) / 1000;
      mark = now;
      this.log(`  ${name}: ${seconds[name].toFixed(1)} s`);
    };
    const started = Date.now();

    // Reference data the lists need: regions (province → township) and a legal catalogue.
    if (await this.regions.isEmpty()) await this.dataSource.transaction((em) => this.regions.loadExtract(em));
    const [{ n: instruments }] = await this.dataSource.query('SELECT count(*)::int AS n FROM legal_instrument');
    if (instruments === 0)
      await this.dataSource.transaction((em) => this.legal.importCatalogue(readCatalogueCsv(fs.readFileSync(demoFile('legal.csv'), 'utf8')), em));

    const templates = loadTemplates();
    const resolved = await this.legal.resolveCitations(templates.flatMap((t) => parseLegalBasis(t.input.legalBasis)), '2021-01-01');
    let offset = 0;
    for (const t of templates) {
      const n = parseLegalBasis(t.input.legalBasis).length;
      t.citations = resolved.slice(offset, offset + n);
      offset += n;
    }
    const byKind: Record<ListKind, number[]> = { POWER: [], RESPONSIBILITY: [] };
    templates.forEach((t, i) => byKind[t.kind].push(i));
    lap('templates');

    const townships = await this.pickTownships(wanted, rnd, options.oneCounty ?? false);
    if (townships.length < wanted) this.log(`  only ${townships.length} townships without lists are left: generating those`);
    if (!townships.length) throw new Error('every township already has lists: nothing to generate');
    const countyCodes = [...new Set(townships.map((t) => t.countyCode))];

    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    const client = (qr as unknown as { databaseConnection: pg.PoolClient }).databaseConnection;
    const report: DatasetReport = {
      townships: townships.length, counties: countyCodes.length, bodies: 0, lists: 0, versions: 0, itemRows: 0, citationRows: 0,
      distinctTexts: 0, indexesRebuilt: false, seconds,
    };
    try {
      await qr.startTransaction();
      const em = qr.manager;
      await em.query(`SET LOCAL maintenance_work_mem = '1GB'`);
      await em.query(`SET LOCAL synchronous_commit = off`);
      // lz4 where the server has it: compressing the rows' long texts is most of the load's cost, and
      // lz4 (PostgreSQL ≥ 14) does it ~2× faster than the default pglz; see docs/operations.md.
      const [{ lz4 }] = await em.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
      if (lz4) await em.query(`SET LOCAL default_toast_compression = 'lz4'`);
      const bodies = await this.ensureBodies(em, townships, countyCodes, templates);
      report.bodies = bodies.created;
      lap('bodies');

      report.distinctTexts = await this.textDocs(em, templates, items, versions);
      lap(`segment and vectorise ${report.distinctTexts} distinct texts`);

      const [{ n: existing }] = await em.query('SELECT count(*)::bigint AS n FROM list_item');
      const expectedRows = townships.length * 2 * Math.round(items * (1 + 0.11 * (versions - 1)));
      const rebuild = expectedRows > Number(existing);
      const restore = rebuild ? await this.dropIndexes(em) : [];
      report.indexesRebuilt = rebuild;
      await em.query('ALTER TABLE list_item DISABLE TRIGGER list_item_immutable');
      await em.query('ALTER TABLE item_citation DISABLE TRIGGER item_citation_immutable');
      // item_search is filled once below, set-based, instead of by its per-row trigger.
      await em.query('ALTER TABLE list_item DISABLE TRIGGER list_item_search_insert');
      lap(rebuild ? `drop ${restore.length} indexes and constraints` : 'keep indexes (load smaller than the table)');

      // Lists and versions first (small), then the item rows, then their citations: one COPY each.
      // Each list is planned from its own seed, so the three passes see the same lists and ids.
      const salt = randomBytes(9).toString('hex');
      const plans = () => this.planLists(townships, templates, byKind, items, versions, options.seed, salt);
      const lists: string[] = [];
      const versionLines: string[] = [];
      for (const list of plans()) {
        lists.push(copyLine([list.id, list.regionCode, list.countyCode, list.kind]));
        versionLines.push(...list.versionLines);
      }
      report.lists = lists.length;
      report.versions = versionLines.length;
      await this.copy(client, 'duty_list (id, region_code, county_code, kind)', lists);
      await this.copy(
        client,
        `list_version (id, list_id, region_code, kind, number, status, effective_from, effective_to, approval_doc_number, review_opinion,
           change_reason, based_on_id, revision, created_by, submitted_by, submitted_at, approved_by, approved_at, published_by, published_at)`,
        versionLines,
      );
      lap(`lists (${lists.length}) and versions (${versionLines.length})`);

      // Item rows: the distinct texts go to a temporary table once (their vectors parsed once), the
      // rows' own narrow columns are COPYed, and one INSERT … SELECT joins them into list_item: the
      // long texts, arrays and vectors are copied inside PostgreSQL, never parsed again per row.
      await em.query(`CREATE TEMPORARY TABLE gen_row (id uuid, list_id uuid, region_code char(12), kind varchar(16), item_code varchar(64),
        from_version int, to_version int, pending boolean, removed boolean, doc text, template int, accountable_body_id uuid,
        township_role varchar(16), cooperating jsonb) ON COMMIT DROP`);
      let rows = 0;
      let citations = 0;
      const rowChunks = function* () {
        let buffer: string[] = [];
        for (const list of plans()) {
          const town = list.township;
          for (const r of list.rows) {
            const t = templates[r.t];
            const cooperating = JSON.stringify(t.cooperating.map((c) => ({ bodyId: bodies.idOf(c.role, town), duty: c.duty })));
            buffer.push(
              `${r.id}\t${list.id}\t${town.code}\t${list.kind}\t${copyText(r.code)}\t${r.from}\t${copyInt(r.to)}\t${copyBool(r.pending)}\t${copyBool(r.removed)}\t` +
                `${r.t}:${r.v}:${r.a}\t${r.t}\t${bodies.idOf(t.role, town)}\t${t.townshipRole}\t${copyText(cooperating)}\n`,
            );
            rows++;
            citations += t.citations.length;
          }
          if (buffer.length >= 1000) {
            yield buffer.join('');
            buffer = [];
          }
        }
        if (buffer.length) yield buffer.join('');
      };
      await pipeline(Readable.from(rowChunks()), client.query(copyFrom('COPY gen_row FROM STDIN')));
      lap(`COPY ${rows} planned rows (narrow)`);
      await em.query('ANALYZE gen_doc, gen_row'); // temporary tables have no statistics: the join must hash the texts, not the rows
      await em.query(
        `INSERT INTO list_item (id, list_id, region_code, kind, item_code, from_version, to_version, pending, removed,
           ${CONTENT_FIELDS.map((f) => f.column).join(', ')}, has_unresolved_citations, search_vector)
         SELECT r.id, r.list_id, r.region_code, r.kind, r.item_code, r.from_version, r.to_version, r.pending, r.removed,
           ${CONTENT_FIELDS.map((f) => `${PER_ROW.has(f.key) ? 'r' : 'd'}.${f.column}`).join(', ')}, d.has_unresolved_citations, d.search_vector
         FROM gen_row r JOIN gen_doc d ON d.doc = r.doc`,
      );
      report.itemRows = rows;
      lap(`INSERT … SELECT ${rows} item rows`);

      await em.query(`CREATE TEMPORARY TABLE gen_cite (template int, ordinal int, raw text, instrument_title text, article int, paragraph int, item int,
        label text, resolved boolean, instrument_id uuid, instrument_version_id uuid, provision_id uuid) ON COMMIT DROP`);
      await this.copy(
        client,
        'gen_cite',
        templates.flatMap((t, ti) =>
          t.citations.map((c, ordinal) =>
            copyLine([
              String(ti), String(ordinal), copyText(c.raw), copyText(c.instrumentTitle), copyInt(c.article), copyInt(c.paragraph), copyInt(c.item),
              copyText(c.label), copyBool(c.resolved), c.instrumentId ?? COPY_NULL, c.instrumentVersionId ?? COPY_NULL, c.provisionId ?? COPY_NULL,
            ]),
          ),
        ),
      );
      await em.query('ANALYZE gen_cite');
      await em.query(
        `INSERT INTO item_citation (item_id, ordinal, raw, instrument_title, article, paragraph, item, label, resolved, instrument_id, instrument_version_id, provision_id)
         SELECT r.id, c.ordinal, c.raw, c.instrument_title, c.article, c.paragraph, c.item, c.label, c.resolved, c.instrument_id, c.instrument_version_id, c.provision_id
         FROM gen_row r JOIN gen_cite c ON c.template = r.template`,
      );
      report.citationRows = citations;
      lap(`INSERT … SELECT ${citations} citation rows`);
      // What the trigger would have written (migration ItemSearch1796313350000): the published rows' vectors, uncompressed.
      await em.query(
        `INSERT INTO item_search (id, list_id, from_version, to_version, item_code, township_role, search_vector)
         SELECT i.id, i.list_id, i.from_version, i.to_version, i.item_code, i.township_role, i.search_vector || ''::tsvector
         FROM list_item i JOIN gen_row r ON r.id = i.id WHERE NOT i.pending`,
      );
      await em.query('ALTER TABLE list_item ENABLE TRIGGER list_item_search_insert');
      lap('INSERT … SELECT item_search (published rows)');

      for (const sql of restore) {
        const t0 = Date.now();
        await em.query(sql);
        this.log(`    ${((Date.now() - t0) / 1000).toFixed(1)} s  ${sql.replace(/\s+/g, ' ').slice(0, 110)}`);
      }
      if (rebuild) lap('rebuild indexes and constraints (validating keys and exclusions)');
      await em.query('ALTER TABLE list_item ENABLE TRIGGER list_item_immutable');
      await em.query('ALTER TABLE item_citation ENABLE TRIGGER item_citation_immutable');
      await this.checkStates(em);
      lap('check version states of the rows');
      // The vectors were computed with the code's search document: a new database records it, or
      // the first start would recompute every row (search-index.service.ts) while being measured.
      await em.query('INSERT INTO search_index_state (document_version) VALUES ($1) ON CONFLICT (singleton) DO NOTHING', [SEARCH_DOCUMENT_VERSION]);
      await this.audit.record(em, GENERATOR, {
        action: 'generateDataset', entityType: 'Dataset', entityId: `seed-${options.seed}`, regionCode: null,
        after: { townships: report.townships, lists: report.lists, versions: report.versions, itemRows: rows, citationRows: citations, items, versionsPerList: versions },
      });
      await qr.commitTransaction();
      lap('commit');
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
    await this.dataSource.query('ANALYZE region, body, duty_list, list_version, list_item, item_citation');
    // VACUUM sets item_search's visibility map: the search counts a township's rows from its index alone.
    await this.dataSource.query('VACUUM ANALYZE item_search');
    lap('analyze');
    seconds.total = (Date.now() - started) / 1000;
    return report;
  }

  /** Whole counties in a seeded order, townships that have no lists yet, until `wanted`. */
  private async pickTownships(wanted: number, rnd: ReturnType<typeof prng>, oneCounty: boolean): Promise<Township[]> {
    const rows: { code: string; name: string }[] = await this.dataSource.query(
      `SELECT r.code, r.name FROM region r WHERE r.level = 'TOWNSHIP'
         AND NOT EXISTS (SELECT 1 FROM duty_list d WHERE d.region_code = r.code) ORDER BY r.code`,
    );
    const byCounty = new Map<string, Township[]>();
    for (const r of rows) {
      const countyCode = `${r.code.slice(0, 6)}000000`;
      let list = byCounty.get(countyCode);
      if (!list) byCounty.set(countyCode, (list = []));
      list.push({ code: r.code, name: r.name, countyCode });
    }
    const picked: Township[] = [];
    if (oneCounty) {
      const county = rnd.shuffle([...byCounty.keys()]).find((c) => byCounty.get(c)!.length >= wanted);
      if (!county) throw new Error(`no county has ${wanted} townships without lists`);
      return byCounty.get(county)!.slice(0, wanted);
    }
    for (const county of rnd.shuffle([...byCounty.keys()])) {
      for (const t of byCounty.get(county)!) {
        if (picked.length >= wanted) return picked;
        picked.push(t);
      }
    }
    return picked;
  }

  /** The bodies the templates name, per county and township; existing ones (same county and name) are reused. */
  private async ensureBodies(em: EntityManager, townships: Township[], countyCodes: string[], templates: Template[]) {
    const roles = new Map<string, BodyRole>();
    for (const t of templates) for (const r of [t.role, ...t.cooperating.map((c) => c.role)]) roles.set(`${r.scope}:${r.suffix}`, r);
    const countyNames = new Map<string, string>(
      (await em.query('SELECT code, name FROM region WHERE code = ANY($1::char(12)[])', [countyCodes])).map((r: { code: string; name: string }) => [r.code, r.name]),
    );
    const short = (town: string) => town.replace(/(街道办事处|街道|镇|乡)$/, '');
    const nameOf = (role: BodyRole, town: Township) => {
      const county = countyNames.get(town.countyCode) ?? '县';
      if (role.scope === 'county') return { name: `${county}${role.suffix}`, region: town.countyCode };
      if (role.scope === 'police') return { name: `${county}公安局${short(town.name)}派出所`, region: town.code };
      return { name: `${town.name}${role.suffix}`, region: town.code };
    };
    const wanted = new Map<string, { name: string; kind: string; region: string; county: string }>();
    const firstOfCounty = new Map<string, Township>();
    for (const town of townships) if (!firstOfCounty.has(town.countyCode)) firstOfCounty.set(town.countyCode, town);
    for (const role of roles.values()) {
      const towns = role.scope === 'county' ? [...firstOfCounty.values()] : townships;
      for (const town of towns) {
        const { name, region } = nameOf(role, town);
        wanted.set(`${town.countyCode}|${name}`, { name, kind: role.kind, region, county: town.countyCode });
      }
    }
    const all = [...wanted.values()];
    let created = 0;
    for (let i = 0; i < all.length; i += 5000) {
      const chunk = all.slice(i, i + 5000);
      const inserted = await em.query(
        `INSERT INTO body (name, kind, region_code, county_code)
         SELECT * FROM unnest($1::text[], $2::varchar[], $3::char(12)[], $4::char(12)[])
         ON CONFLICT (county_code, name) DO NOTHING RETURNING id`,
        [chunk.map((b) => b.name), chunk.map((b) => b.kind), chunk.map((b) => b.region), chunk.map((b) => b.county)],
      );
      created += inserted.length;
    }
    const ids = new Map<string, string>();
    for (let i = 0; i < countyCodes.length; i += 2000) {
      const rows: { id: string; name: string; county_code: string }[] = await em.query(
        'SELECT id, name, county_code FROM body WHERE county_code = ANY($1::char(12)[])',
        [countyCodes.slice(i, i + 2000)],
      );
      for (const r of rows) ids.set(`${r.county_code}|${r.name}`, r.id);
    }
    return {
      created,
      idOf: (role: BodyRole, town: Township) => {
        const id = ids.get(`${town.countyCode}|${nameOf(role, town).name}`);
        if (!id) throw new Error(`no body for ${role.scope}:${role.suffix} in ${town.code}`);
        return id;
      },
    };
  }

  /**
   * Every distinct item text the lists will hold — (template, qualifier, amendment) — segmented
   * once with the app's own `searchDocument`, its vector computed once by PostgreSQL with the
   * app's own `SEARCH_VECTOR_SQL`, into the temporary table gen_doc (one column per item field
   * that does not vary by row); answers how many.
   */
  private async textDocs(em: EntityManager, templates: Template[], items: number, versions: number): Promise<number> {
    const docColumns = CONTENT_FIELDS.filter((f) => !PER_ROW.has(f.key));
    await em.query(`CREATE TEMPORARY TABLE gen_doc (doc text PRIMARY KEY, ${docColumns.map((f) => `${f.column} ${f.codec.sqlType}`).join(', ')},
      has_unresolved_citations boolean, search_vector tsvector) ON COMMIT DROP`);
    const keys: [number, number, number][] = [];
    for (let t = 0; t < templates.length; t++) {
      const perKind = templates.filter((x) => x.kind === templates[t].kind).length;
      const rounds = Math.min(QUALIFIERS.length, Math.ceil((items * 1.2 + 10) / perKind) + 1);
      for (let v = 0; v < rounds; v++) for (let a = 0; a < Math.min(versions + 1, AMENDMENTS.length + 1); a++) keys.push([t, v, a]);
    }
    for (let i = 0; i < keys.length; i += 500) {
      const records = keys.slice(i, i + 500).map(([t, v, a]) => {
        const template = templates[t];
        const input = this.variant(template, v, a) as unknown as Record<string, unknown>;
        // The texts of the template's variant; bodies and the role vary by row (gen_row), the cooperating duties do not.
        const content = Object.fromEntries(CONTENT_FIELDS.map((f) => [f.key, f.inputKey && !PER_ROW.has(f.key) ? (input[f.inputKey] ?? f.codec.fromRow(null)) : f.codec.fromRow(null)]));
        content.cooperating = template.cooperating.map((c) => ({ bodyId: '', duty: c.duty }));
        const doc = searchDocument(content as ItemContent, template);
        return { doc: `${t}:${v}:${a}`, ...contentToRecord(content as ItemContent), has_unresolved_citations: template.citations.some((c) => !c.resolved), sa: doc.a, sb: doc.b, sc: doc.c, sd: doc.d };
      });
      await em.query(
        `INSERT INTO gen_doc SELECT r.doc, ${docColumns.map((f) => `r.${f.column}`).join(', ')}, r.has_unresolved_citations, ${SEARCH_VECTOR_SQL('r.sa', 'r.sb', 'r.sc', 'r.sd')}
         FROM jsonb_to_recordset($1::jsonb) AS r(doc text, ${CONTENT_FIELDS.map((f) => `${f.column} ${f.codec.sqlType}`).join(', ')}, has_unresolved_citations boolean, sa text, sb text, sc text, sd text)`,
        [JSON.stringify(records)],
      );
    }
    return keys.length;
  }

  /** Template t with qualifier v and amendment a applied. */
  private variant(template: Template, v: number, a: number): ListItemInput {
    const base = template.input;
    const q = QUALIFIERS[v % QUALIFIERS.length];
    const keywords = base.keywords ?? [];
    const rotated = v === 0 ? keywords : [...keywords.slice(v % Math.max(keywords.length, 1)), ...keywords.slice(0, v % Math.max(keywords.length, 1))].slice(0, Math.max(1, keywords.length - (v % 2)));
    const amendment = a === 0 ? '' : AMENDMENTS[(a - 1 + v) % AMENDMENTS.length];
    return {
      ...base,
      name: `${base.name}${q}`,
      description: base.description || q || amendment ? `${QUALIFIER_LEADS[v % QUALIFIER_LEADS.length]}${base.description ?? ''}${amendment}` : null,
      townshipDuty: base.townshipDuty && a > 0 ? `${base.townshipDuty}${amendment}` : base.townshipDuty,
      keywords: rotated,
    };
  }

  /** Lists, versions and the temporal item rows of every township, planned in memory per list. */
  private *planLists(
    townships: Township[],
    templates: Template[],
    byKind: Record<ListKind, number[]>,
    items: number,
    versions: number,
    seed: number,
    salt: string,
  ): Generator<{ id: string; regionCode: string; countyCode: string; kind: ListKind; township: Township; rows: RowPlan[]; versionLines: string[] }> {
    const start = Date.UTC(2021, 0, 1);
    const span = Date.UTC(2026, 5, 30) - start;
    const day = 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    let listIndex = 0;
    for (const town of townships) {
      for (const kind of ['POWER', 'RESPONSIBILITY'] as ListKind[]) {
        const rnd = prng((seed * 1_000_003 + listIndex) >>> 0);
        // Ids are unique by construction (run salt, list, counter), the same in every pass of a run.
        const ids = idStream(salt, listIndex++);
        const versionLines: string[] = [];
        const listId = ids.uuid();
        const pool = byKind[kind];
        // Most lists have every version; some one fewer; a few an open draft after them.
        const published = Math.max(1, versions - (rnd.next() < 0.15 ? 1 : 0));
        const draft = rnd.next() < 0.03;
        const perm = rnd.shuffle([...pool]);
        const shift = rnd.int(QUALIFIERS.length);
        const rounds = Math.min(QUALIFIERS.length, Math.ceil((items * 1.2 + 10) / pool.length) + 1);
        const town9 = town.code.slice(0, 9);
        let seq = 0;
        const newItem = (): { code: string; t: number; v: number } => {
          const i = seq++;
          const t = perm[i % perm.length];
          const v = (Math.floor(i / perm.length) + shift) % rounds;
          return { code: `${town9.slice(0, 6)}-${town9.slice(6)}-${templates[t].prefix}-${String(i + 1).padStart(3, '0')}`, t, v };
        };
        const rows: RowPlan[] = [];
        const current = new Map<string, RowPlan>();
        const open = (code: string, t: number, v: number, a: number, from: number, pending = false, removed = false) => {
          const row: RowPlan = { id: ids.uuid(), code, t, v, a, from, to: null, pending, removed };
          rows.push(row);
          if (!pending) current.set(code, row);
          return row;
        };
        for (let i = 0; i < items; i++) {
          const it = newItem();
          open(it.code, it.t, it.v, 0, 1);
        }
        const dates: string[] = [];
        for (let n = 1; n <= published; n++) {
          const step = span / Math.max(versions, 1);
          const at = start + Math.floor((n - 1) * step) + rnd.int(Math.max(1, Math.min(150, Math.floor(step / day / 2)))) * day;
          dates.push(iso(at));
          if (n === 1) continue;
          const codes = [...current.keys()];
          const changes = Math.max(1, Math.round(codes.length * 0.08));
          const removals = Math.round(codes.length * 0.015);
          const additions = Math.round(items * 0.015);
          const touched = rnd.shuffle(codes).slice(0, changes + removals);
          touched.forEach((code, k) => {
            const old = current.get(code)!;
            old.to = n;
            current.delete(code);
            if (k < changes) open(code, old.t, old.v, Math.min(old.a + 1, AMENDMENTS.length, versions), n);
          });
          for (let k = 0; k < additions && seq < items * 1.2 + 10; k++) {
            const it = newItem();
            open(it.code, it.t, it.v, 0, n);
          }
        }
        if (draft) {
          const n = published + 1;
          const codes = rnd.shuffle([...current.keys()]).slice(0, 5);
          codes.slice(0, 4).forEach((code) => {
            const old = current.get(code)!;
            open(code, old.t, old.v, Math.min(old.a + 1, AMENDMENTS.length, versions), n, true);
          });
          if (codes[4]) {
            const old = current.get(codes[4])!;
            open(codes[4], old.t, old.v, old.a, n, true, true);
          }
        }
        // Versions: 1..published (the last PUBLISHED, earlier SUPERSEDED), then the draft if any.
        const year = (d: string) => d.slice(0, 4);
        const versionIds: string[] = [];
        for (let n = 1; n <= published + (draft ? 1 : 0); n++) {
          const id = ids.uuid();
          versionIds.push(id);
          const isDraft = n > published;
          const status = isDraft ? 'DRAFT' : n === published ? 'PUBLISHED' : 'SUPERSEDED';
          const from = isDraft ? null : dates[n - 1];
          const to = !isDraft && n < published ? dates[n] : null;
          const approvedAt = from ? `${from} 09:00:00+08` : null;
          versionLines.push(
            copyLine([
              id, listId, town.code, kind, String(n), status, copyText(from), copyText(to),
              isDraft ? COPY_NULL : copyText(`${town.name.slice(0, 2)}政发〔${year(from!)}〕${(n * 7 + rnd.int(90)) % 99 + 1}号`),
              isDraft ? COPY_NULL : '经合法性审查，同意。', n === 1 ? '其他' : '立改废释', n === 1 ? COPY_NULL : versionIds[n - 2],
              '0', 'dataset-generator',
              isDraft ? COPY_NULL : 'dataset-generator', copyText(approvedAt),
              isDraft ? COPY_NULL : 'dataset-reviewer', copyText(approvedAt),
              isDraft ? COPY_NULL : 'dataset-generator', copyText(approvedAt),
            ]),
          );
        }
        yield { id: listId, regionCode: town.code, countyCode: town.countyCode, kind, township: town, rows, versionLines };
      }
    }
  }

  private async copy(client: pg.PoolClient, target: string, lines: string[]): Promise<void> {
    const chunks = function* () {
      for (let i = 0; i < lines.length; i += 1000) yield lines.slice(i, i + 1000).join('');
    };
    await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${target} FROM STDIN`)));
  }

  /**
   * Drops list_item's and item_citation's indexes and constraints (keys included, CHECKs kept),
   * and the foreign keys of other tables onto them (basis_alert's: they depend on the primary
   * keys), and returns the statements that rebuild them exactly as the migrations made them.
   */
  private async dropIndexes(em: EntityManager): Promise<string[]> {
    const constraints: { table: string; name: string; def: string; type: string }[] = await em.query(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def, c.contype AS type
       FROM pg_constraint c
       WHERE (c.conrelid IN ('list_item'::regclass, 'item_citation'::regclass) AND c.contype IN ('p', 'u', 'f', 'x'))
          OR (c.confrelid IN ('list_item'::regclass, 'item_citation'::regclass) AND c.contype = 'f')`,
    );
    const indexes: { name: string; def: string }[] = await em.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
       WHERE i.indrelid IN ('list_item'::regclass, 'item_citation'::regclass)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)`,
    );
    // Drop: foreign keys first (they depend on the primary keys), then the rest.
    const order = (t: string) => ({ f: 0, x: 1, u: 2, p: 3 })[t] ?? 4;
    const sorted = [...constraints].sort((a, b) => order(a.type) - order(b.type));
    for (const c of sorted) await em.query(`ALTER TABLE ${c.table} DROP CONSTRAINT ${quoteIdent(c.name)}`);
    for (const i of indexes) await em.query(`DROP INDEX ${i.name}`);
    // Rebuild: keys, then foreign keys (validated), exclusions, plain and GIN indexes.
    const build = (t: string) => ({ p: 0, u: 1, f: 2, x: 3 })[t] ?? 4;
    return [
      ...[...constraints].sort((a, b) => build(a.type) - build(b.type)).map((c) => `ALTER TABLE ${c.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}`),
      ...indexes.map((i) => i.def),
    ];
  }

  /** What the disabled triggers guard, checked on the result: rows are pending exactly in open versions. */
  private async checkStates(em: EntityManager): Promise<void> {
    const [bad] = await em.query(
      `SELECT count(*) FILTER (WHERE v.id IS NULL)::bigint AS orphan,
              count(*) FILTER (WHERE v.id IS NOT NULL AND i.pending <> (v.status NOT IN ('PUBLISHED','SUPERSEDED')))::bigint AS wrong_state
       FROM list_item i LEFT JOIN list_version v ON v.list_id = i.list_id AND v.number = i.from_version`,
    );
    if (Number(bad.orphan) || Number(bad.wrong_state))
      throw new Error(`generated rows break the version states: ${bad.orphan} without a version, ${bad.wrong_state} pending in a published version or published in a draft`);
  }
}

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
