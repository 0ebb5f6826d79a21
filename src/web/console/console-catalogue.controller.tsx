import { Controller, Get, Param, Post, Query, Req, Res, UploadedFiles, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Permission } from '../../auth/permissions.js';
import { notFound } from '../../common/domain-error.js';
import { uploadedFileName } from '../../modules/basis-alerts/catalogue-import.controller.js';
import { CatalogueImportService, MAX_CATALOGUE_FILES, type CatalogueImportReport } from '../../modules/basis-alerts/catalogue-import.service.js';
import type { LegalInstrumentEntity } from '../../modules/legal/legal-instrument.entity.js';
import { LegalService } from '../../modules/legal/legal.service.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { ConsoleErrorFilter, ConsoleGuard, ConsolePermission, CsrfAfterUpload, viewOf, type ConsoleRequest } from './console-access.js';
import type { FormErrors } from './console-frame.js';
import { CataloguePage, InstrumentPage } from './console-catalogue.pages.js';
import { refusalOf } from './console-lists.controller.js';

const NO_STORE = { maxAgeSeconds: null };
/** Instruments on one page of the catalogue (the search narrows it). */
const PAGE_SIZE = 100;

/**
 * The legal catalogue in the console: browse and search (LegalService, as `legalInstruments` — public
 * law, any signed-in user), an instrument with its versions, provisions and crosswalk, and the upload
 * (CatalogueImportService, as `importLegalCatalogue`: ADMIN).
 */
@Controller('console/catalogue')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleErrorFilter)
export class ConsoleCatalogueController {
  constructor(
    private readonly assets: WebAssets,
    private readonly legal: LegalService,
    private readonly imports: CatalogueImportService,
    private readonly guard: ConsoleGuard,
  ) {}

  private async render(req: ConsoleRequest, res: Response, search: string, o: { report?: CatalogueImportReport; errors?: FormErrors; status?: number } = {}) {
    const found = await this.legal.searchInstruments(search || null, PAGE_SIZE + 1);
    const shown = found.slice(0, PAGE_SIZE);
    // Versions and successors in one query each (the resolvers' loaders).
    const [versions, successors] = await Promise.all([
      this.legal.createVersionsLoader().loadMany(shown.map((i) => i.id)),
      this.legal.createInstrumentLoader().loadMany(shown.map((i) => i.successorId).filter((id): id is string => !!id)),
    ]);
    const byId = new Map(successors.filter((s): s is LegalInstrumentEntity => !!s && !(s instanceof Error)).map((s) => [s.id, s]));
    const instruments = shown.map((instrument, k) => ({
      instrument,
      versions: Array.isArray(versions[k]) ? versions[k] : [],
      successor: (instrument.successorId && byId.get(instrument.successorId)) || null,
    }));
    sendPage(res, <CataloguePage view={viewOf(this.assets, req)} search={search} instruments={instruments} more={found.length > PAGE_SIZE} report={o.report} errors={o.errors} />, NO_STORE, o.status);
  }

  @Get()
  @ConsolePermission(Permission.READ_PUBLISHED)
  async catalogue(@Req() req: ConsoleRequest, @Res() res: Response, @Query('q') q: unknown) {
    const search = typeof q === 'string' ? q.trim().slice(0, 100) : '';
    await this.render(req, res, search);
  }

  /** Files of the catalogue (one workbook, or up to three CSV files), checked only or written in one transaction. */
  @Post('import')
  @ConsolePermission(Permission.MANAGE_CATALOGUE)
  @CsrfAfterUpload()
  @UseInterceptors(FilesInterceptor('file', MAX_CATALOGUE_FILES))
  async import(@Req() req: ConsoleRequest, @Res() res: Response, @UploadedFiles() files: { originalname: string; buffer: Buffer }[] | undefined) {
    this.guard.requireCsrf(req);
    const dryRun = (req.body as Record<string, unknown> | undefined)?.dryRun === 'true';
    try {
      const report = await this.imports.importFiles(req.consoleActor!, (files ?? []).map((f) => ({ fileName: uploadedFileName(f.originalname), content: f.buffer })), { dryRun });
      await this.render(req, res, '', { report, status: report.errors.length ? 422 : 200 });
    } catch (e) {
      const { errors, status } = refusalOf(res, e);
      await this.render(req, res, '', { errors, status });
    }
  }

  @Get(':id')
  @ConsolePermission(Permission.READ_PUBLISHED)
  async instrument(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string) {
    const instrument = await this.legal.instrument(id);
    if (!instrument) throw notFound('法规目录中没有该法规');
    const [versions, successor] = await Promise.all([
      this.legal.createVersionsLoader().load(instrument.id),
      instrument.successorId ? this.legal.instrument(instrument.successorId) : Promise.resolve(null),
    ]);
    const ids = versions.map((v) => v.id);
    const [provisions, crosswalk] = await Promise.all([this.legal.createProvisionsLoader().loadMany(ids), this.legal.createCrosswalkLoader().loadMany(ids)]);
    const byVersion = <T,>(rows: (T[] | Error)[]) => new Map(ids.map((vid, k) => [vid, Array.isArray(rows[k]) ? rows[k] : []]));
    sendPage(
      res,
      <InstrumentPage view={viewOf(this.assets, req)} instrument={instrument} successor={successor} versions={versions} provisions={byVersion(provisions)} crosswalk={byVersion(crosswalk)} />,
      NO_STORE,
    );
  }
}
