import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res, UploadedFile, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { requireRole } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, DomainError, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { sendDownload } from '../../common/download.js';
import { PUBLISHED_STATUSES } from '../lists/list-version.entity.js';
import { readScopeFor } from '../lists/list-read.service.js';
import type { ListKind } from '../lists/duty-list.entity.js';
import { EXPORT_FORMATS, ExportService, type ExportFormat, type ExportLayout } from './export.service.js';
import { ImportService, type ImportOutcome } from './import.service.js';
import { actorOf, AnonymousAllowed, BearerTokenGuard, RestErrorFilter, type RestRequest } from './rest-http.js';

/** What multer hands over for the `file` field (memory storage). */
interface UploadedSheet {
  originalname: string;
  size: number;
  buffer: Buffer;
}

interface ImportFields {
  regionCode?: string;
  kind?: string;
  changeReason?: string;
  changeNote?: string;
  dryRun?: string;
  replaceOpenDraft?: string;
  allowMassRemoval?: string;
}

/** The report as JSON, the fields of the GraphQL `ImportReport` (version: its own fields only). */
export function reportJson(outcome: ImportOutcome) {
  const v = outcome.version;
  return {
    version: v && { id: v.id, number: v.number, status: v.status, kind: v.kind, regionCode: v.regionCode, revision: v.revision, basedOnId: v.basedOnId },
    itemsImported: outcome.itemsImported,
    errors: outcome.errors,
    warnings: outcome.warnings,
    added: outcome.added,
    changed: outcome.changed,
    unchanged: outcome.unchanged,
    removed: outcome.removed,
    addedItems: outcome.addedItems,
    changedItems: outcome.changedItems,
    unchangedItems: outcome.unchangedItems,
    removedItems: outcome.removedItems,
    dryRun: outcome.dryRun,
    format: outcome.format,
    encoding: outcome.encoding,
  };
}

/**
 * `POST /admin/imports` (multipart/form-data: regionCode, kind, file; optional changeReason, changeNote,
 * dryRun=true, replaceOpenDraft=true, allowMassRemoval=true): the upload door for large files, same authentication and permissions as
 * `importList`. 201 with the report and the new draft; 422 with the report when rows are bad
 * (nothing written); 413 over the size limit, 400 over the row limit, both naming the limit.
 */
@Controller('admin/imports')
@UseFilters(RestErrorFilter)
@UseGuards(BearerTokenGuard)
export class ImportsController {
  constructor(private readonly imports: ImportService) {}

  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  // The guard has authenticated before multer reads the body.
  @UseInterceptors(FileInterceptor('file'))
  async upload(@Req() req: RestRequest, @Body() fields: ImportFields, @UploadedFile() file: UploadedSheet | undefined, @Res({ passthrough: true }) res: Response) {
    const actor = actorOf(req);
    requireRole(actor, Permission.EDIT_LISTS);
    if (!fields?.regionCode) throw badInput('regionCode', '缺少字段 regionCode（乡镇区划代码，如 320282100）');
    if (!fields.kind) throw badInput('kind', '缺少字段 kind：POWER（权力清单）或 RESPONSIBILITY（责任清单）');
    await this.imports.requireImporter(actor, fields.regionCode, fields.kind as ListKind);
    if (!file) throw badInput('file', '缺少上传的文件：请把 .xlsx 或 .csv 放在名为 file 的字段中');
    const outcome = await this.imports.importList(actor, {
      regionCode: fields.regionCode,
      kind: fields.kind as ListKind,
      fileName: decodeFileName(file.originalname),
      content: file.buffer,
      changeReason: fields.changeReason ?? null,
      changeNote: fields.changeNote ?? null,
      dryRun: fields.dryRun === 'true',
      replaceOpenDraft: fields.replaceOpenDraft === 'true',
      allowMassRemoval: fields.allowMassRemoval === 'true',
    });
    if (outcome.errors.length) res.status(422);
    else if (!outcome.version) res.status(200);
    return reportJson(outcome);
  }
}

/** Multer reads the multipart file name as latin1; browsers and curl send UTF-8 (张渚镇.xlsx). */
function decodeFileName(name: string): string {
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  return /\uFFFD/.test(utf8) ? name : utf8;
}

/**
 * `GET /exports/versions/<id>.xlsx` and `.csv`: any version the caller may see — anonymously the
 * published ones, with a bearer token also drafts in the user's region (ListReadService decides).
 * What the caller may not see is 404, whether or not it exists.
 */
@Controller('exports/versions')
@UseFilters(RestErrorFilter)
@UseGuards(BearerTokenGuard)
export class ExportsController {
  constructor(private readonly exports: ExportService) {}

  @Get(':file')
  @AnonymousAllowed()
  async download(@Req() req: RestRequest, @Param('file') file: string, @Query('layout') layout: string | undefined, @Res() res: Response) {
    const match = /^(.+)\.(xlsx|csv)$/i.exec(file);
    const format = match?.[2].toLowerCase() as ExportFormat | undefined;
    if (!match || !format || !EXPORT_FORMATS.includes(format) || !isUuid(match[1]))
      throw notFound('未找到：导出地址应为 /exports/versions/<版本ID>.xlsx 或 .csv');
    if (layout !== undefined && layout !== 'table' && layout !== 'parts') throw badInput('layout', 'layout 应为 table（一张表）或 parts（基本履职、配合履职、上级部门收回三张表）');
    const actor = actorOf(req);
    const scope = readScopeFor(actor.role ? 'admin' : 'public', actor);
    const exported = await this.exports.exportVersion(scope, match[1], format, (layout as ExportLayout | undefined) ?? 'table');
    const published = exported.version.status === 'PUBLISHED' || exported.version.status === 'SUPERSEDED';
    // A published version's items never change; its title row (effective dates) can, once, when superseded.
    sendDownload(res, {
      body: exported.body, contentType: exported.contentType, asciiName: `list-${exported.version.id}.${format}`, fileName: exported.fileName,
      cacheControl: published && !actor.role ? 'public, max-age=300' : 'private, no-store',
    });
  }
}

/**
 * `GET /exports/revisions/<fromId>/<toId>.xlsx`: the 修订对照表 between two versions of one list
 * (item, field, before, after, reason), under the visibility of versionDiff: anonymously between
 * published versions, with a bearer token also drafts in the user's region. Unknown or invisible: 404.
 */
@Controller('exports/revisions')
@UseFilters(RestErrorFilter)
@UseGuards(BearerTokenGuard)
export class RevisionExportsController {
  constructor(private readonly exports: ExportService) {}

  @Get(':from/:file')
  @AnonymousAllowed()
  async download(@Req() req: RestRequest, @Param('from') from: string, @Param('file') file: string, @Res() res: Response) {
    const to = /^(.+)\.xlsx$/i.exec(file)?.[1];
    if (!to || !isUuid(from) || !isUuid(to)) throw notFound('未找到：修订对照表地址应为 /exports/revisions/<原版本ID>/<新版本ID>.xlsx');
    const actor = actorOf(req);
    const scope = readScopeFor(actor.role ? 'admin' : 'public', actor);
    let exported;
    try {
      exported = await this.exports.exportRevision(scope, from, to);
    } catch (e) {
      // versionDiff says which version it did not find (BAD_USER_INPUT): as a download, that is 404.
      if (e instanceof DomainError && e.code === 'BAD_USER_INPUT' && /未找到/.test(e.message)) throw notFound(e.message);
      throw e;
    }
    const published = PUBLISHED_STATUSES.includes(exported.to.status) && PUBLISHED_STATUSES.includes(exported.from.status);
    sendDownload(res, {
      body: exported.body, contentType: exported.contentType, asciiName: `revisions-${from}-${to}.xlsx`, fileName: exported.fileName,
      cacheControl: published && !actor.role ? 'public, max-age=300' : 'private, no-store',
    });
  }
}

/** `GET /exports/template.xlsx`: the blank responsibility-list template (three parts, their columns, notes), for anyone. */
@Controller('exports')
@UseFilters(RestErrorFilter)
@UseGuards(BearerTokenGuard)
export class TemplateController {
  constructor(private readonly exports: ExportService) {}

  @Get('template.xlsx')
  @AnonymousAllowed()
  async template(@Res() res: Response) {
    const file = await this.exports.template();
    sendDownload(res, { body: file.body, contentType: file.contentType, asciiName: 'template.xlsx', fileName: file.fileName, cacheControl: 'public, max-age=3600' });
  }
}
