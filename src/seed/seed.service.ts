import fs from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { systemActor } from '../auth/actor.js';
import { readCsvRecords } from '../common/csv.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { BodiesService } from '../modules/bodies/bodies.service.js';
import { BasisAlertsService } from '../modules/basis-alerts/basis-alerts.service.js';
import { catalogueFromGrids } from '../modules/legal/catalogue-sheet.js';
import { LegalService, type CatalogueImport, type CatalogueRow } from '../modules/legal/legal.service.js';
import { readCsvGrid } from '../modules/import-export/sheet-readers.js';
import { RegionsService } from '../modules/regions/regions.service.js';
import { DEMO_COUNTY, demoFile } from './demo-files.js';
import { DemoListsSeeder } from './demo-lists.seeder.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { CountySettingEntity } from '../modules/counties/county-setting.entity.js';

/** The demo county's review period of lists (county settings). */
export const DEMO_REVIEW_MONTHS = 18;

/** First-start data: the region extract always; the demo county (bodies, legal catalogue, lists) unless disabled. */
@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');

  constructor(
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly bodies: BodiesService,
    private readonly legal: LegalService,
    private readonly demoLists: DemoListsSeeder,
    private readonly alerts: BasisAlertsService,
    private readonly audit: AuditService,
  ) {}

  async seedOnStart(): Promise<void> {
    if (await this.regions.isEmpty()) {
      await this.dataSource.transaction((em) => this.regions.loadExtract(em));
    }
    if (this.config.loadDemoData && !(await this.demoLoaded())) {
      const started = Date.now();
      await this.dataSource.transaction((em) => this.loadDemo(em));
      this.logger.log(`Loaded the demo county 宜兴市 (${DEMO_COUNTY}) in ${Date.now() - started} ms`);
    }
  }

  private async demoLoaded(): Promise<boolean> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM body WHERE county_code = $1', [DEMO_COUNTY]);
    return row.n > 0;
  }

  /** The demo county in one transaction: villages, bodies, the legal catalogue, then its lists. */
  async loadDemo(em: EntityManager): Promise<void> {
    await this.regions.loadVillages(DEMO_COUNTY, em);
    const dissolved: { id: string; on: string }[] = [];
    for (const row of readCsvRecords(fs.readFileSync(demoFile('bodies.csv'), 'utf8'))) {
      const body = await this.bodies.createBody(systemActor('demo-data'), row['主体名称'], row['主体类型'], row['区划代码'], em);
      if (row['撤销日期']) dissolved.push({ id: body.id, on: row['撤销日期'] });
    }
    const catalogue = readCatalogueFiles([demoFile('legal.csv'), demoFile('legal-crosswalk.csv')]);
    await this.legal.importCatalogue(catalogue.provisions, em);
    await this.legal.importCrosswalk(catalogue.crosswalk, em);
    await this.legal.importRepeals(catalogue.repeals, em);
    await this.demoLists.load(em);
    // Publishing looked at each list; once more over everything, as after any catalogue change.
    await this.alerts.detect(em, systemActor('demo-data'));
    // Bodies abolished after the lists naming them were published (机构改革): the county's findings show those items.
    for (const d of dissolved) await this.bodies.dissolveBody(systemActor('demo-data'), d.id, d.on, em);
    // The county reviews its lists every 18 months: the lists in force since 2025-01-01 are past their review date.
    await em.save(em.create(CountySettingEntity, { countyCode: DEMO_COUNTY, listReviewMonths: DEMO_REVIEW_MONTHS, updatedBy: 'demo-data' }));
    await this.audit.record(em, systemActor('demo-data'), {
      action: 'updateCountySettings', entityType: 'CountySettings', entityId: DEMO_COUNTY, regionCode: DEMO_COUNTY,
      before: { listReviewMonths: null, backdateLimitDays: null, threePartyPublication: false },
      after: { listReviewMonths: DEMO_REVIEW_MONTHS, backdateLimitDays: null, threePartyPublication: false },
    });
  }
}

/** Catalogue CSV files (docs/legal-catalogue.md) as one import. */
export function readCatalogueFiles(files: string[]): CatalogueImport {
  return catalogueFromGrids(files.map((f) => ({ ...readCsvGrid(fs.readFileSync(f, 'utf8')), name: null })));
}

/** legal.csv rows (法规名称, 简称, 位阶, 制定机关, 文号, 施行日期, 条款, 条文) as catalogue rows. */
export function readCatalogueCsv(text: string): CatalogueRow[] {
  return catalogueFromGrids([readCsvGrid(text)]).provisions;
}
