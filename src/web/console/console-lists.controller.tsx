import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFile, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { can, coversRegion, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, DomainError, notFound } from '../../common/domain-error.js';
import { errorAnswer, setErrorHeaders } from '../../common/error-response.js';
import { ImportService } from '../../modules/import-export/import.service.js';
import { BasisAlertsService } from '../../modules/basis-alerts/basis-alerts.service.js';
import { BodiesService } from '../../modules/bodies/bodies.service.js';
import { LIST_KINDS, type ListKind } from '../../modules/lists/duty-list.entity.js';
import { bodyIdsOf, contentToInput } from '../../modules/lists/item-fields.js';
import { ListReadService, readScopeFor } from '../../modules/lists/list-read.service.js';
import { itemToSheetRow, rowToItemInput } from '../../modules/lists/list-sheet.js';
import { ListVersionsService } from '../../modules/lists/list-versions.service.js';
import type { ListItemModel, ListItemPatch, ListVersionModel } from '../../modules/lists/list.model.js';
import { RegionsService } from '../../modules/regions/regions.service.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { ConsoleErrorFilter, ConsoleGuard, ConsolePermission, CsrfAfterUpload, viewOf, type ConsoleRequest } from './console-access.js';
import type { FormErrors } from './console-frame.js';
import { PendingUploads } from './console-session.js';
import { formFields, ImportReportPage, ItemFormPage, TownshipPage, VersionPage, type VersionForms } from './console-lists.pages.js';

const NO_STORE = { maxAgeSeconds: null };

interface UploadedSheet {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** A refusal of a form as errors by field: the service's field, or '' for the form as a whole; every item error of saveItem. */
export function formErrors(e: DomainError): FormErrors {
  const errors: FormErrors = {};
  const list = (e.details.errors as { field: string; message: string }[] | undefined) ?? [];
  for (const item of list) {
    const field = item.field.replace(/[[.].*$/, '');
    errors[field] = errors[field] ? `${errors[field]}；${item.message}` : item.message;
  }
  if (!list.length) errors[typeof e.details.field === 'string' ? e.details.field.replace(/[[.].*$/, '') : ''] = e.message;
  return errors;
}

/** A refused form: its errors by field, and the HTTP status of the code (set on the response with its headers). */
export function refusalOf(res: Response, e: unknown): { errors: FormErrors; status: number } {
  if (!(e instanceof DomainError)) throw e;
  const answer = errorAnswer(e);
  setErrorHeaders(res, answer);
  return { errors: formErrors(e), status: answer.status };
}

/** The plain words of a stale edit, before the service's own message. */
const CONFLICT_WORDS = '有人在您打开此页后修改了这份草稿（可能正是这个事项）。请重新载入页面，核对最新内容后再修改。';

const kindOf = (value: unknown): ListKind => {
  if (typeof value !== 'string' || !LIST_KINDS.includes(value as ListKind)) throw badInput('kind', '请选择清单类型：责任清单或权力清单');
  return value as ListKind;
};

const revisionOf = (value: unknown): number | null => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null);

/**
 * The list workflow in the console: townships, drafts, items, import, review and publication —
 * each action one call of the service the admin API's resolver calls, with the signed-in actor.
 * A refused action shows the page again with the service's message next to the field.
 */
@Controller('console')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleErrorFilter)
export class ConsoleListsController {
  constructor(
    private readonly assets: WebAssets,
    private readonly reads: ListReadService,
    private readonly versions: ListVersionsService,
    private readonly imports: ImportService,
    private readonly regions: RegionsService,
    private readonly bodies: BodiesService,
    private readonly uploads: PendingUploads,
    private readonly guard: ConsoleGuard,
    private readonly alerts: BasisAlertsService,
  ) {}

  // ---------------------------------------------------------------- townships

  @Get('townships/:code')
  async township(@Req() req: ConsoleRequest, @Res() res: Response, @Param('code') code: string, @Query('done') done: unknown) {
    await this.renderTownship(req, res, code, { done: typeof done === 'string' ? done : undefined });
  }

  private async renderTownship(req: ConsoleRequest, res: Response, code: string, o: { done?: string; errors?: FormErrors; form?: string; status?: number }) {
    const actor = req.consoleActor!;
    const region = await this.regions.requireRegion(code, 'regionCode');
    if (region.level !== 'TOWNSHIP') throw badInput('regionCode', `“${region.name}”不是乡镇（街道）`);
    const scope = readScopeFor('admin', actor);
    const [responsibility, power] = await Promise.all([this.reads.listVersions(scope, region.code, 'RESPONSIBILITY'), this.reads.listVersions(scope, region.code, 'POWER')]);
    const mayEdit = can(actor, Permission.EDIT_LISTS) && coversRegion(actor, region.code);
    // Open basis alerts (a law the lists cite changed): the township's users and its county's see them.
    const alerts = can(actor, Permission.READ_DRAFTS) && coversRegion(actor, region.code) ? await this.alerts.list(actor, region.code) : [];
    sendPage(
      res,
      <TownshipPage view={viewOf(this.assets, req)} region={region} lists={{ RESPONSIBILITY: responsibility, POWER: power }} alerts={alerts} mayEdit={mayEdit} done={o.done} errors={o.errors} form={o.form} />,
      NO_STORE,
      o.status,
    );
  }

  @Post('townships/:code/drafts')
  @ConsolePermission(Permission.EDIT_LISTS)
  async createDraft(@Req() req: ConsoleRequest, @Res() res: Response, @Param('code') code: string, @Body() body: Record<string, string>) {
    try {
      const draft = await this.versions.createDraft(req.consoleActor!, code, kindOf(body.kind), body.changeReason || null);
      res.redirect(303, `/console/versions/${draft.id}?done=draftCreated`);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      setErrorHeaders(res, errorAnswer(e));
      await this.renderTownship(req, res, code, { errors: formErrors(e), form: 'draft', status: errorAnswer(e).status });
    }
  }

  // ---------------------------------------------------------------- import

  /** Upload → dry run: the report, and the file kept for "create the draft" (nothing is written yet). */
  @Post('imports')
  @ConsolePermission(Permission.EDIT_LISTS)
  @CsrfAfterUpload()
  @UseInterceptors(FileInterceptor('file'))
  async upload(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>, @UploadedFile() file: UploadedSheet | undefined) {
    this.guard.requireCsrf(req);
    const actor = req.consoleActor!;
    const regionCode = String(body.regionCode ?? '');
    try {
      const kind = kindOf(body.kind);
      const region = await this.imports.requireImporter(actor, regionCode, kind);
      if (!file || !file.size) throw badInput('file', '请选择要导入的 .xlsx 或 .csv 文件');
      const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
      const changeReason = body.changeReason || null;
      const outcome = await this.imports.importList(actor, { regionCode: region.code, kind, fileName, content: file.buffer, changeReason, dryRun: true });
      const pending = outcome.errors.length
        ? null
        : this.uploads.keep({ sessionId: req.consoleSession!.id, regionCode: region.code, kind, fileName, content: file.buffer, changeReason });
      const view = viewOf(this.assets, req);
      sendPage(res, <ImportReportPage view={view} region={region} kind={kind} fileName={fileName} outcome={outcome} pendingId={pending?.id ?? null} changeReason={changeReason} />, NO_STORE, outcome.errors.length ? 422 : 200);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      setErrorHeaders(res, errorAnswer(e));
      await this.renderTownship(req, res, regionCode, { errors: formErrors(e), form: 'import', status: errorAnswer(e).status });
    }
  }

  /** The file of the dry run, imported for real: a new draft whose items are exactly its rows. */
  @Post('imports/:id/create')
  @ConsolePermission(Permission.EDIT_LISTS)
  async createFromUpload(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string) {
    const pending = this.uploads.take(req.consoleSession!.id, id);
    if (!pending) throw new DomainError('CONFLICT', '上传的文件已过期或已导入，请重新上传');
    const actor = req.consoleActor!;
    const region = await this.regions.requireRegion(pending.regionCode, 'regionCode');
    try {
      const outcome = await this.imports.importList(actor, { ...pending, dryRun: false });
      if (outcome.version) return res.redirect(303, `/console/versions/${outcome.version.id}?done=imported`);
      sendPage(res, <ImportReportPage view={viewOf(this.assets, req)} region={region} kind={pending.kind} fileName={pending.fileName} outcome={outcome} pendingId={null} changeReason={pending.changeReason} />, NO_STORE, 422);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      setErrorHeaders(res, errorAnswer(e));
      await this.renderTownship(req, res, region.code, { errors: formErrors(e), form: 'import', status: errorAnswer(e).status });
    }
  }

  // ---------------------------------------------------------------- a version

  private async requireVersion(actor: Actor, id: string): Promise<ListVersionModel> {
    const v = await this.reads.findVersion(readScopeFor('admin', actor), id);
    if (!v) throw notFound('未找到该清单版本，或它不在您的管辖区划内');
    return v;
  }

  @Get('versions/:id')
  async version(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Query('done') done: unknown) {
    await this.renderVersion(req, res, id, { done: typeof done === 'string' ? done : undefined });
  }

  private async renderVersion(req: ConsoleRequest, res: Response, id: string, forms: VersionForms & { done?: string; status?: number }) {
    const actor = req.consoleActor!;
    const scope = readScopeFor('admin', actor);
    const v = await this.requireVersion(actor, id);
    const [region, items, basedOn] = await Promise.all([
      this.regions.requireRegion(v.regionCode, 'regionCode'),
      this.reads.allItems(v),
      v.basedOnId ? this.reads.findVersion(scope, v.basedOnId) : Promise.resolve(null),
    ]);
    const diff = basedOn ? await this.reads.diff(scope, basedOn.id, v.id) : null;
    const [names, findings] = await Promise.all([this.bodies.namesOf(bodyIdsOf(items)), this.versions.gateFindingsOf(v)]);
    sendPage(
      res,
      <VersionPage view={viewOf(this.assets, req)} version={v} region={region} items={items} bodyNames={names} basedOn={basedOn} diff={diff} findings={findings ?? []} forms={forms} done={forms.done} />,
      NO_STORE,
      forms.status,
    );
  }

  /** A refused action on the version page: the page again, the message at the form that asked. */
  private async refused(req: ConsoleRequest, res: Response, id: string, form: string, e: unknown) {
    if (!(e instanceof DomainError)) throw e;
    const answer = errorAnswer(e);
    setErrorHeaders(res, answer);
    const errors: FormErrors = e.code === 'VERSION_CONFLICT' ? { '': `${CONFLICT_WORDS}（${e.message}）` } : formErrors(e);
    await this.renderVersion(req, res, id, { form, errors, status: answer.status });
  }

  @Post('versions/:id/submit')
  @ConsolePermission(Permission.EDIT_LISTS)
  async submit(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string) {
    try {
      await this.versions.submitForReview(req.consoleActor!, id);
      res.redirect(303, `/console/versions/${id}?done=submitted`);
    } catch (e) {
      await this.refused(req, res, id, 'submit', e);
    }
  }

  @Post('versions/:id/approve')
  @ConsolePermission(Permission.REVIEW_LISTS)
  async approve(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    try {
      await this.versions.approveVersion(req.consoleActor!, id, body.opinion ?? null);
      res.redirect(303, `/console/versions/${id}?done=approved`);
    } catch (e) {
      await this.refused(req, res, id, 'review', e);
    }
  }

  @Post('versions/:id/reject')
  @ConsolePermission(Permission.REVIEW_LISTS)
  async reject(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    try {
      await this.versions.rejectVersion(req.consoleActor!, id, body.opinion ?? '');
      res.redirect(303, `/console/versions/${id}?done=rejected`);
    } catch (e) {
      await this.refused(req, res, id, 'review', e);
    }
  }

  @Post('versions/:id/publish')
  @ConsolePermission(Permission.PUBLISH_LISTS)
  async publish(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    try {
      await this.versions.publishVersion(req.consoleActor!, id, body.effectiveFrom ?? '', body.approvalDocNumber ?? '');
      res.redirect(303, `/console/versions/${id}?done=published`);
    } catch (e) {
      await this.refused(req, res, id, 'publish', e);
    }
  }

  /** Discards a draft (discardDraft: its rows dropped, the reason audited); back to the township. */
  @Post('versions/:id/discard')
  @ConsolePermission(Permission.EDIT_LISTS)
  async discard(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    const v = await this.requireVersion(req.consoleActor!, id);
    try {
      await this.versions.discardDraft(req.consoleActor!, id, body.reason ?? '');
      res.redirect(303, `/console/townships/${v.regionCode.slice(0, 9)}?done=discarded`);
    } catch (e) {
      await this.refused(req, res, id, 'discard', e);
    }
  }

  /** A reason for an item's gate findings (no legal basis, a duplicate name, an unresolved citation), so that the draft can go to review. */
  @Post('versions/:id/gates/:code')
  @ConsolePermission(Permission.EDIT_LISTS)
  async recordGateReason(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Param('code') code: string, @Body() body: Record<string, string>) {
    try {
      await this.versions.recordGateException(req.consoleActor!, id, code, body.reason ?? '', revisionOf(body.expectedRevision));
      res.redirect(303, `/console/versions/${id}?done=gateReasonRecorded#gates`);
    } catch (e) {
      await this.refused(req, res, id, `gate:${code}`, e);
    }
  }

  @Post('versions/:id/gates/:code/clear')
  @ConsolePermission(Permission.EDIT_LISTS)
  async clearGateReason(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Param('code') code: string, @Body() body: Record<string, string>) {
    try {
      await this.versions.clearGateException(req.consoleActor!, id, code, revisionOf(body.expectedRevision));
      res.redirect(303, `/console/versions/${id}?done=gateReasonCleared#gates`);
    } catch (e) {
      await this.refused(req, res, id, `gate:${code}`, e);
    }
  }

  @Post('versions/:id/items/:code/remove')
  @ConsolePermission(Permission.EDIT_LISTS)
  async removeItem(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Param('code') code: string, @Body() body: Record<string, string>) {
    try {
      await this.versions.removeItem(req.consoleActor!, id, code, revisionOf(body.expectedRevision));
      res.redirect(303, `/console/versions/${id}?done=removed`);
    } catch (e) {
      await this.refused(req, res, id, `remove:${code}`, e);
    }
  }

  // ---------------------------------------------------------------- an item

  @Get('versions/:id/items/new')
  @ConsolePermission(Permission.EDIT_LISTS)
  async newItem(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string) {
    const v = await this.requireVersion(req.consoleActor!, id);
    sendPage(res, <ItemFormPage view={viewOf(this.assets, req)} version={v} item={null} cells={{}} expectedRevision={v.revision} />, NO_STORE);
  }

  @Get('versions/:id/items/:code')
  async item(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Param('code') code: string) {
    const v = await this.requireVersion(req.consoleActor!, id);
    const item = await this.findItem(v, code);
    sendPage(res, <ItemFormPage view={viewOf(this.assets, req)} version={v} item={item} cells={await this.cellsOf(item)} expectedRevision={v.revision} />, NO_STORE);
  }

  private async findItem(v: ListVersionModel, code: string): Promise<ListItemModel> {
    const item = (await this.reads.allItems(v)).find((i) => i.itemCode === code);
    if (!item) throw notFound(`该版本中没有事项“${code}”`);
    return item;
  }

  /** An item as the form's cells (the sheet's texts: bodies by name, lists joined). */
  private async cellsOf(item: ListItemModel): Promise<Record<string, string>> {
    const names = await this.bodies.namesOf(bodyIdsOf([item]));
    return itemToSheetRow(contentToInput(item.itemCode, item, names));
  }

  /**
   * Saves an item of a draft with the draft's revision the form was opened at: a stale one is
   * refused by the service (VERSION_CONFLICT) and said plainly. An edit that changes nothing is not saved.
   */
  @Post('versions/:id/items')
  @ConsolePermission(Permission.EDIT_LISTS)
  async saveItem(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    const actor = req.consoleActor!;
    const v = await this.requireVersion(actor, id);
    const editing = typeof body.originalCode === 'string' && body.originalCode !== '' ? body.originalCode : null;
    const cells: Record<string, string> = {};
    // Browsers send a textarea's line breaks as CRLF; the sheet's cells (and their splitting) use LF.
    for (const f of formFields(v.kind)) cells[f.field] = typeof body[f.field] === 'string' ? body[f.field].replace(/\r\n?/g, '\n') : '';
    if (editing) cells.itemCode = editing;
    const expectedRevision = revisionOf(body.expectedRevision);
    let item: ListItemModel | null = null;
    try {
      if (editing) {
        item = await this.findItem(v, editing);
        const before = await this.cellsOf(item);
        const changed = formFields(v.kind).filter((f) => f.field !== 'itemCode' && (before[f.field] ?? '').trim() !== cells[f.field].trim());
        if (!changed.length) return res.redirect(303, `/console/versions/${id}?done=unchanged#item-${encodeURIComponent(editing)}`);
        // updateItem: only the fields the form changed, read from their cells as an import reads them.
        const input = rowToItemInput(cells) as unknown as Record<string, unknown>;
        const patch = Object.fromEntries(changed.map((f) => [f.field, input[f.field] ?? null])) as ListItemPatch;
        await this.versions.updateItem(actor, id, editing, patch, expectedRevision);
        return res.redirect(303, `/console/versions/${id}?done=saved#item-${encodeURIComponent(editing)}`);
      } else if ((await this.reads.allItems(v)).some((i) => i.itemCode === cells.itemCode.trim())) {
        throw badInput('itemCode', `本版本已有事项编码“${cells.itemCode.trim()}”：要修改它，请在事项列表中点“修改”`);
      }
      const saved = await this.versions.saveItem(actor, id, rowToItemInput(cells), expectedRevision);
      res.redirect(303, `/console/versions/${id}?done=saved#item-${encodeURIComponent(saved.itemCode)}`);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const answer = errorAnswer(e);
      setErrorHeaders(res, answer);
      const errors: FormErrors = e.code === 'VERSION_CONFLICT' ? { '': `${CONFLICT_WORDS}（${e.message}）` } : formErrors(e);
      sendPage(res, <ItemFormPage view={viewOf(this.assets, req)} version={v} item={item} cells={cells} expectedRevision={expectedRevision ?? v.revision} errors={errors} />, NO_STORE, answer.status);
    }
  }
}
