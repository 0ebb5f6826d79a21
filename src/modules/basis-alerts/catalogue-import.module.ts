import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuthModule } from '../../auth/auth.module.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { ImportExportModule } from '../import-export/import-export.module.js';
import { BearerTokenGuard, RestErrorFilter } from '../import-export/rest-http.js';
import { BasisAlertsModule } from './basis-alerts.module.js';
import { CatalogueImportController, CatalogueManagerGuard } from './catalogue-import.controller.js';
import { CatalogueImportService, MAX_CATALOGUE_FILES } from './catalogue-import.service.js';

/**
 * Uploads of the legal catalogue (docs/legal-catalogue.md): the service behind the console's form,
 * `importLegalCatalogue` and `POST /admin/imports/legal-catalogue`, which reads files with the list
 * imports' readers and limits (ImportExportModule) and writes through BasisAlertsService.
 */
@Module({
  imports: [
    AuthModule,
    ImportExportModule,
    BasisAlertsModule,
    MulterModule.registerAsync({
      inject: [QUANZE_CONFIG],
      // Memory storage; the three tables may come as three CSV files.
      useFactory: (config: QuanzeConfig) => ({ limits: { fileSize: config.importMaxBytes, files: MAX_CATALOGUE_FILES, fields: 10, fieldSize: 10_000, parts: 14 } }),
    }),
  ],
  controllers: [CatalogueImportController],
  providers: [CatalogueImportService, BearerTokenGuard, RestErrorFilter, CatalogueManagerGuard],
  exports: [CatalogueImportService],
})
export class CatalogueImportModule {}
