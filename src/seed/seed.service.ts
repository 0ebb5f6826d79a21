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
    for (const row of readCsvRecords(fs.readFileSync(demoFile('bodies.csv'), 'utf8'))) {
      await this.bodies.createBody(systemActor('demo-data'), row['主体名称'], row['主体类型'], row['区划代码'], em);
    }
    const catalogue = readCatalogueFiles([demoFile('legal.csv'), demoFile('legal-crosswalk.csv')]);
    await this.legal.importCatalogue(catalogue.provisions, em);
    await this.legal.importCrosswalk(catalogue.crosswalk, em);
    await this.legal.importRepeals(catalogue.repeals, em);
    await this.demoLists.load(em);
    // Publishing looked at each list; once more over everything, as after any catalogue change.
    await this.alerts.detect(em, systemActor('demo-data'));
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
