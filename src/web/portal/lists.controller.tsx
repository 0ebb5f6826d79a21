import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import QRCode from 'qrcode';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput, DomainError, notFound } from '../../common/domain-error.js';
import { parseLocalDate, todayInChina } from '../../common/local-date.scalar.js';
import { AccountabilityService } from '../../modules/accountability/accountability.service.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { BodiesService } from '../../modules/bodies/bodies.service.js';
import type { ListKind } from '../../modules/lists/duty-list.entity.js';
import { bodyIdsOf, CONTENT_FIELDS } from '../../modules/lists/item-fields.js';
import { ListReadService, PUBLIC_SCOPE } from '../../modules/lists/list-read.service.js';
import type { ItemHistoryModel, ListItemModel, ListVersionModel } from '../../modules/lists/list.model.js';
import { PUBLISHED_STATUSES } from '../../modules/lists/list-version.entity.js';
import type { RegionEntity } from '../../modules/regions/region.entity.js';
import { normalizeRegionCode } from '../../modules/regions/region-code.js';
import { RegionsService } from '../../modules/regions/regions.service.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { WebErrorFilter } from '../web-error.filter.js';
import { AskPage, RegionChoicesPage, type AskForm } from './ask.page.js';
import { ItemPage } from './item.page.js';
import { ProofPage, StatementPage, type Verification } from './proof.page.js';
import { CountyPage, TownshipPage, type TownshipList } from './region.page.js';
import { DiffPage, VersionPage } from './version.page.js';

const KINDS: ListKind[] = ['RESPONSIBILITY', 'POWER'];
/** One value of a query parameter (a repeated one counts as absent). */
const param = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const inForceOn = (v: ListVersionModel, date: string) =>
  PUBLISHED_STATUSES.includes(v.status) && !!v.effectiveFrom && v.effectiveFrom <= date && (!v.effectiveTo || v.effectiveTo > date);
const stateIn = (h: ItemHistoryModel, n: number) => h.states.find((s) => s.fromVersion <= n && (s.toVersion === null || s.toVersion > n)) ?? null;
/** The item fields' labels by their name in versionDiff. */
const DIFF_LABELS = new Map(CONTENT_FIELDS.filter((f) => f.diff).map((f) => [f.diff!, f.label]));
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The portal's list pages: answers, regions, items and their history, versions and diffs, printable
 * proofs. Published data only — every read goes through ListReadService with the public scope,
 * exactly as `/graphql` reads (never the app's own GraphQL over HTTP).
 */
@Controller()
@UseFilters(WebErrorFilter)
export class PortalListsController {
  constructor(
    private readonly assets: WebAssets,
    private readonly reads: ListReadService,
    private readonly accountability: AccountabilityService,
    private readonly regions: RegionsService,
    private readonly bodies: BodiesService,
    private readonly audit: AuditService,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  private get publicCaching() {
    return { maxAgeSeconds: this.config.api.publicCacheSeconds };
  }

  // ------------------------------------------------------------------ asking

  @Get('ask')
  async ask(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const form = this.askForm(query);
    const today = todayInChina();
    const region = await this.resolveRegion(form);
    if (!region.ok) return sendPage(res, <RegionChoicesPage assets={this.assets} form={form} choices={region.choices} today={today} />, this.publicCaching);
    const result = await this.accountability.whoIsAccountable(PUBLIC_SCOPE, form.q, region.region.code, form.asOf || null, null);
    const items = result.answers.map((a) => a.item);
    const [names, citations, townships] = await Promise.all([
      this.bodies.namesOf(bodyIdsOf(items)),
      this.citationsOf(items),
      this.townshipNames(region.region, result.answers.map((a) => a.townshipCode)),
    ]);
    sendPage(
      res,
      <AskPage assets={this.assets} form={form} region={region.region} result={result} names={names} citations={citations} townships={townships} today={today} />,
      this.publicCaching,
    );
  }

  @Get('ask/statement')
  async statement(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const form = this.askForm(query);
    const region = await this.resolveRegion(form);
    if (!region.ok) return sendPage(res, <RegionChoicesPage assets={this.assets} form={form} choices={region.choices} today={todayInChina()} />, this.publicCaching);
    const result = await this.accountability.whoIsAccountable(PUBLIC_SCOPE, form.q, region.region.code, form.asOf || null, null);
    const versions = await this.reads.versionsInForceWithin(PUBLIC_SCOPE, region.region.code, result.asOf);
    const hashes = new Map(await Promise.all(versions.map(async (v) => [v.id, await this.reads.contentHash(v)] as const)));
    const verification = await this.verification(req);
    sendPage(res, <StatementPage assets={this.assets} region={region.region} result={result} versions={versions} hashes={hashes} verification={verification} />, { maxAgeSeconds: null });
  }

  private askForm(query: Record<string, unknown>): AskForm {
    const form = { region: param(query.region), q: param(query.q), asOf: param(query.asOf) };
    if (!form.region) throw badInput('region', '请填写乡镇（街道）或县（市、区）的名称或区划代码');
    if (form.asOf && !parseLocalDate(form.asOf)) throw badInput('asOf', `日期“${form.asOf.slice(0, 20)}”无效，应为 YYYY-MM-DD`);
    return form;
  }

  /** A code, or a name resolved on the server (张渚 → 张渚镇): one region, or the choices (none or several). */
  private async resolveRegion(form: AskForm): Promise<{ ok: true; region: RegionEntity } | { ok: false; choices: RegionEntity[] }> {
    if (/^\d+$/.test(form.region)) return { ok: true, region: await this.regions.requireRegion(form.region, 'region') };
    const found = await this.regions.findByName(form.region);
    const exact = found.filter((r) => r.name === form.region);
    if (found.length === 1) return { ok: true, region: found[0] };
    if (exact.length === 1) return { ok: true, region: exact[0] };
    return { ok: false, choices: found };
  }

  private async townshipNames(region: RegionEntity, codes: string[]): Promise<Map<string, string>> {
    if (region.level === 'TOWNSHIP') return new Map([[region.code, region.name]]);
    const unique = [...new Set(codes)];
    const loaded = await this.regions.createLoader().loadMany(unique);
    return new Map(unique.map((c, i) => [c, (loaded[i] as RegionEntity | null)?.name ?? c]));
  }

  private async citationsOf(items: ListItemModel[]) {
    const loader = this.reads.createCitationLoader();
    const lists = await Promise.all(items.map((i) => loader.load(i.id)));
    return new Map(items.map((i, n) => [i.id, lists[n]]));
  }

  // ------------------------------------------------------------------ regions and items

  @Get('regions/:code')
  async region(@Param('code') code: string, @Res() res: Response) {
    const region = await this.requireRegion(code);
    const today = todayInChina();
    if (region.level === 'COUNTY') {
      const [townships, inForce] = await Promise.all([
        this.regions.listRegions(region.code, 'TOWNSHIP'),
        this.reads.versionsInForceWithin(PUBLIC_SCOPE, region.code, today),
      ]);
      const rows = townships.map((t) => ({ region: t, inForce: inForce.filter((v) => v.regionCode === t.code).sort((a, b) => (a.kind < b.kind ? 1 : -1)) }));
      return sendPage(res, <CountyPage assets={this.assets} region={region} townships={rows} today={today} />, this.publicCaching);
    }
    if (region.level !== 'TOWNSHIP') throw notFound(`“${region.name}”不是乡镇（街道）或县（市、区），本网站按乡镇和县查询清单`);
    const lists: TownshipList[] = await Promise.all(
      KINDS.map(async (kind) => {
        const history = await this.reads.listVersions(PUBLIC_SCOPE, region.code, kind);
        const inForce = history.find((v) => inForceOn(v, today)) ?? null;
        return { kind, history, inForce, items: inForce ? await this.reads.allItems(inForce) : [] };
      }),
    );
    const [names, county] = await Promise.all([
      this.bodies.namesOf(bodyIdsOf(lists.flatMap((l) => l.items))),
      region.parentCode ? this.regions.requireRegion(region.parentCode, 'code') : null,
    ]);
    sendPage(res, <TownshipPage assets={this.assets} region={region} county={county} lists={lists} names={names} today={today} />, this.publicCaching);
  }

  @Get('regions/:code/items/:itemCode')
  async item(@Param('code') code: string, @Param('itemCode') itemCode: string, @Query('asOf') asOfInput: unknown, @Res() res: Response) {
    const view = await this.itemView(code, itemCode, asOfInput);
    sendPage(res, <ItemPage assets={this.assets} view={view} today={todayInChina()} />, this.publicCaching);
  }

  @Get('regions/:code/items/:itemCode/proof')
  async proof(@Param('code') code: string, @Param('itemCode') itemCode: string, @Query('asOf') asOfInput: unknown, @Req() req: Request, @Res() res: Response) {
    const view = await this.itemView(code, itemCode, asOfInput);
    if (!view.state || !view.version) throw notFound(`${view.asOf} ${view.region.name}现行有效的清单中没有事项“${view.shown.item.name}”，不能出具证明`);
    const [contentHash, verification] = await Promise.all([this.reads.contentHash(view.version), this.verification(req)]);
    sendPage(
      res,
      <ProofPage
        assets={this.assets}
        region={view.region}
        item={view.state.item}
        version={view.version}
        names={view.names}
        citations={view.citations}
        contentHash={contentHash}
        verification={verification}
      />,
      { maxAgeSeconds: null },
    );
  }

  private async itemView(code: string, itemCode: string, asOfInput: unknown) {
    const region = await this.requireRegion(code);
    const asOf = param(asOfInput) || todayInChina();
    if (!parseLocalDate(asOf)) throw badInput('asOf', `日期“${asOf.slice(0, 20)}”无效，应为 YYYY-MM-DD`);
    const history = region.level === 'TOWNSHIP' && itemCode.length <= 64 ? await this.reads.itemHistory(PUBLIC_SCOPE, region.code, itemCode) : null;
    if (!history) throw notFound(`${region.name}的清单中没有编码为“${itemCode.slice(0, 64)}”的事项`);
    const version = history.versions.find((v) => inForceOn(v, asOf)) ?? null;
    const state = version ? stateIn(history, version.number) : null;
    const shown = state ?? history.states[history.states.length - 1];
    const [names, citations] = await Promise.all([this.bodies.namesOf(bodyIdsOf([shown.item])), this.reads.createCitationLoader().load(shown.item.id)]);
    return { region, history, version: state ? version : null, state, shown, asOf, names, citations };
  }

  /** A region by code for a page: an unknown or malformed code is the HTML 404. */
  private async requireRegion(input: string): Promise<RegionEntity> {
    const code = normalizeRegionCode(input);
    // requireRegion: region rows are kept in the read cache, as the resolvers' region loader does.
    const region = code ? await this.regions.requireRegion(code, 'code').catch(() => null) : null;
    if (!region) throw notFound(`未找到区划代码为“${input.slice(0, 20)}”的地区`);
    return region;
  }

  // ------------------------------------------------------------------ versions

  @Get('versions/:id')
  async version(@Param('id') id: string, @Res() res: Response) {
    const version = await this.reads.findVersion(PUBLIC_SCOPE, id);
    if (!version) throw notFound('未找到该清单版本');
    const [region, items, previous] = await Promise.all([
      this.regions.requireRegion(version.regionCode, 'regionCode'),
      this.reads.allItems(version),
      version.number > 1 ? this.reads.versionByNumber(PUBLIC_SCOPE, version.listId, version.number - 1) : null,
    ]);
    const [names, contentHash] = await Promise.all([this.bodies.namesOf(bodyIdsOf(items)), this.reads.contentHash(version, items)]);
    sendPage(
      res,
      <VersionPage assets={this.assets} region={region} version={version} previous={previous} items={items} names={names} contentHash={contentHash} today={todayInChina()} />,
      this.publicCaching,
    );
  }

  @Get('versions/:id/diff/:other')
  async diff(@Param('id') id: string, @Param('other') other: string, @Res() res: Response) {
    // Unknown versions (or two of different lists) are pages that do not exist: 404, not 400.
    const diff = await this.reads.diff(PUBLIC_SCOPE, id, other).catch((e: unknown) => {
      throw e instanceof DomainError && e.code === 'BAD_USER_INPUT' ? notFound(`${e.message}，无法比较`) : e;
    });
    const region = await this.regions.requireRegion(diff.to.regionCode, 'regionCode');
    sendPage(res, <DiffPage assets={this.assets} region={region} diff={diff} labels={DIFF_LABELS} today={todayInChina()} />, this.publicCaching);
  }

  // ------------------------------------------------------------------ verification

  /** The page's own URL (absolute, as the reader reached it), its QR code, the audit head and the time. */
  private async verification(req: Request): Promise<Verification> {
    const host = req.get('host') ?? '';
    const url = HOST.test(host) ? `${req.protocol}://${host}${req.originalUrl}` : req.originalUrl;
    const [qr, auditHead] = await Promise.all([QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }), this.audit.head()]);
    const printedAt = new Date(Date.now() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    return { url, qr: `data:image/svg+xml;base64,${Buffer.from(qr).toString('base64')}`, printedAt: `${printedAt}（北京时间）`, auditHead };
  }
}
