import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { requireRole, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, DomainError } from '../../common/domain-error.js';
import { checkText } from '../../common/text-input.js';
import { ImportService } from '../import-export/import.service.js';
import { SheetParsers } from '../import-export/sheet-parsers.js';
import { SheetReadError } from '../import-export/sheet-readers.js';
import { readCatalogue, type CatalogueGrid, type CatalogueProblem } from '../legal/catalogue-sheet.js';
import type { CatalogueImportResult } from '../legal/legal.service.js';
import { BasisAlertsService } from './basis-alerts.service.js';

/** Files of one catalogue upload: the three tables as separate CSV files, or one workbook. */
export const MAX_CATALOGUE_FILES = 3;

export interface CatalogueUpload {
  fileName: string;
  content: Buffer;
}

export interface CatalogueImportReport {
  dryRun: boolean;
  /** Every bad row found, at its sheet (or file), row and column; any problem means nothing was written (a file that cannot be read at all is refused instead). */
  errors: CatalogueProblem[];
  /** What was written (a dry run: what would be); null with errors. */
  result: CatalogueImportResult | null;
  alerts: { open: number; created: number; closed: number } | null;
}

/**
 * A catalogue upload (the console's form, `POST /admin/imports/legal-catalogue`, `importLegalCatalogue`):
 * the files read like list imports — the same size, row and archive limits, in a worker thread under
 * the parse deadline — then every bad row reported at its row and column, or the whole catalogue change
 * in one transaction (BasisAlertsService.importCatalogue, as `legal:import`), or a dry run of it.
 */
@Injectable()
export class CatalogueImportService {
  constructor(
    private readonly parsers: SheetParsers,
    private readonly imports: ImportService,
    private readonly alerts: BasisAlertsService,
  ) {}

  async importFiles(actor: Actor, files: CatalogueUpload[], options: { dryRun: boolean }): Promise<CatalogueImportReport> {
    // Who may, before any file is looked at.
    requireRole(actor, Permission.MANAGE_CATALOGUE);
    const report: CatalogueImportReport = { dryRun: options.dryRun, errors: [], result: null, alerts: null };
    const given = files.filter((f) => f.content.length > 0);
    if (given.length === 0) throw badInput('file', '请选择要导入的法规目录文件（.csv 或 .xlsx）');
    if (given.length > MAX_CATALOGUE_FILES) throw badInput('file', `一次最多导入${MAX_CATALOGUE_FILES}个文件（条文、条文对照、废止各一个，或一个工作簿）`);
    for (const [i, f] of given.entries()) {
      const name = checkText(f.fileName, { max: 255, kind: 'line', required: true });
      if (!name.ok) throw badInput(`files[${i}].fileName`, `第${i + 1}个文件的文件名${name.problem}（不超过255个字符）`);
    }
    const grids: CatalogueGrid[] = [];
    for (const f of given) {
      try {
        const sheet = await this.parsers.parse(f.fileName, f.content, this.imports.limits);
        // A CSV is named by its file, as a workbook's tables are by their sheets.
        grids.push(...sheet.grids.map((g) => ({ ...g, name: g.name ?? f.fileName })));
      } catch (e) {
        // A file that cannot be read at all (or over a limit) is refused as a list import's is, naming the file.
        if (e instanceof SheetReadError) throw badInput('file', `“${f.fileName}”第${e.row ?? 1}行：${e.message}`);
        if (e instanceof DomainError && e.code === 'BAD_USER_INPUT' && !e.details.limit) throw badInput('file', `“${f.fileName}”：${e.message}`);
        throw e;
      }
    }
    const { catalogue, problems } = readCatalogue(grids);
    report.errors.push(...problems);
    if (report.errors.length) return report;
    if (!catalogue.provisions.length && !catalogue.crosswalk.length && !catalogue.repeals.length) {
      report.errors.push({ sheet: null, row: 1, column: null, message: '文件中没有任何法规目录行' });
      return report;
    }
    const facts = given.map((f) => ({ fileName: f.fileName, sha256: createHash('sha256').update(f.content).digest('hex'), bytes: f.content.length }));
    try {
      const { result, alerts } = await this.alerts.importCatalogue(actor, catalogue, { dryRun: options.dryRun, files: facts });
      return { ...report, result, alerts };
    } catch (e) {
      // A row the catalogue refuses (an unknown instrument or version): at its place; nothing was written.
      if (!(e instanceof DomainError) || e.code !== 'BAD_USER_INPUT') throw e;
      const field = typeof e.details.field === 'string' ? e.details.field : null;
      report.errors.push({ sheet: (e.details.sheet as string | null) ?? null, row: (e.details.row as number | undefined) ?? 1, column: field, message: e.message });
      return report;
    }
  }
}
