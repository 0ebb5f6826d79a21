import { Body, type CanActivate, Controller, type ExecutionContext, Header, HttpCode, Injectable, Post, Req, Res, UploadedFiles, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { requireRole } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { actorOf, BearerTokenGuard, RestErrorFilter, type RestRequest } from '../import-export/rest-http.js';
import { CatalogueImportService, MAX_CATALOGUE_FILES, type CatalogueImportReport } from './catalogue-import.service.js';

interface UploadedCatalogueFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** Multer reads the multipart file name as latin1; browsers and curl send UTF-8 (条文对照.csv). */
export function uploadedFileName(name: string): string {
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  return /\uFFFD/.test(utf8) ? name : utf8;
}

/** The report as JSON: the problems at their places, or the counts of what was (or would be) written. */
export const catalogueReportJson = (r: CatalogueImportReport) => ({
  dryRun: r.dryRun,
  errors: r.errors,
  ...(r.result ?? {}),
  alerts: r.alerts,
});

/** After BearerTokenGuard: only a catalogue manager's upload is read at all. */
@Injectable()
export class CatalogueManagerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    requireRole(actorOf(context.switchToHttp().getRequest<RestRequest>()), Permission.MANAGE_CATALOGUE);
    return true;
  }
}

/**
 * `POST /admin/imports/legal-catalogue` (multipart/form-data: `file`, one to three files — the 条文,
 * 条文对照 and 废止 tables as CSV, or one workbook; optional `dryRun=true`): the catalogue upload,
 * beside `POST /admin/imports` with its authentication, size limits and file checks. ADMIN
 * (MANAGE_CATALOGUE). 201 written; 200 a dry run (nothing written); 422 with every problem at its
 * sheet, row and column (nothing written); 413 over the size limit.
 */
@Controller('admin/imports/legal-catalogue')
@UseFilters(RestErrorFilter)
@UseGuards(BearerTokenGuard, CatalogueManagerGuard)
export class CatalogueImportController {
  constructor(private readonly imports: CatalogueImportService) {}

  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  // The guards have authenticated the caller and checked the role before multer reads the body.
  @UseInterceptors(FilesInterceptor('file', MAX_CATALOGUE_FILES))
  async upload(@Req() req: RestRequest, @Body() fields: { dryRun?: string } | undefined, @UploadedFiles() files: UploadedCatalogueFile[] | undefined, @Res({ passthrough: true }) res: Response) {
    const actor = actorOf(req);
    const dryRun = fields?.dryRun === 'true';
    const report = await this.imports.importFiles(actor, (files ?? []).map((f) => ({ fileName: uploadedFileName(f.originalname), content: f.buffer })), { dryRun });
    if (report.errors.length) res.status(422);
    else if (dryRun) res.status(200);
    return catalogueReportJson(report);
  }
}
