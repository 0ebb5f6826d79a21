import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuthModule } from '../../auth/auth.module.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { BodiesModule } from '../bodies/bodies.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { ExportService } from './export.service.js';
import { ExportsController, ImportsController, RevisionExportsController, TemplateController } from './import-export.controllers.js';
import { ImportService } from './import.service.js';
import { BodiesImportService } from './bodies-import.service.js';
import { BearerTokenGuard, RestErrorFilter } from './rest-http.js';
import { SheetParsers } from './sheet-parsers.js';

/**
 * Spreadsheets in and out: the import service behind `importList` (registered with the admin
 * resolvers), `POST /admin/imports` and the CLI; the export service behind
 * `GET /exports/versions/<id>.xlsx|.csv` and the CLI.
 */
@Module({
  imports: [
    AuthModule,
    RegionsModule,
    BodiesModule,
    ListsModule,
    MulterModule.registerAsync({
      inject: [QUANZE_CONFIG],
      // Memory storage (no `dest`): the file is validated and imported from the buffer.
      useFactory: (config: QuanzeConfig) => ({ limits: { fileSize: config.importMaxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 } }),
    }),
  ],
  controllers: [ImportsController, ExportsController, RevisionExportsController, TemplateController],
  providers: [ImportService, BodiesImportService, ExportService, SheetParsers, BearerTokenGuard, RestErrorFilter],
  // SheetParsers: the legal catalogue's upload reads its files the same way (basis-alerts/catalogue-import.service.ts).
  exports: [ImportService, BodiesImportService, ExportService, SheetParsers],
})
export class ImportExportModule {}
