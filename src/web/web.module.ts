import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import express from 'express';
import { AuthModule } from '../auth/auth.module.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { AccountabilityModule } from '../modules/accountability/accountability.module.js';
import { AdmissionModule } from '../modules/admission/admission.module.js';
import { BodiesModule } from '../modules/bodies/bodies.module.js';
import { ImportExportModule } from '../modules/import-export/import-export.module.js';
import { ListsModule } from '../modules/lists/lists.module.js';
import { RegionsModule } from '../modules/regions/regions.module.js';
import { BasisAlertsModule } from '../modules/basis-alerts/basis-alerts.module.js';
import { CountyViewsModule } from '../modules/county-views/county-views.module.js';
import { AnswerFeedbackController } from './portal/answer-feedback.controller.js';
import { CountyPagesController } from './portal/county.controller.js';
import { AssetsController } from './assets.controller.js';
import { ConsoleErrorFilter, ConsoleGuard } from './console/console-access.js';
import { ConsoleAuthController } from './console/console-auth.controller.js';
import { ConsoleCatalogueController } from './console/console-catalogue.controller.js';
import { ConsoleQuestionsController } from './console/console-questions.controller.js';
import { CatalogueImportModule } from '../modules/basis-alerts/catalogue-import.module.js';
import { LegalModule } from '../modules/legal/legal.module.js';
import { ConsoleListsController } from './console/console-lists.controller.js';
import { ConsoleRegistryController } from './console/console-registry.controller.js';
import { ConsoleSessions, PendingUploads } from './console/console-session.js';
import { LedgerPageController } from './portal/ledger.controller.js';
import { PortalListsController } from './portal/lists.controller.js';
import { PortalController } from './portal/portal.controller.js';
import { UnknownPageFilter } from './unknown-page.filter.js';
import { WebAssets } from './web-assets.js';
import { WebErrorFilter } from './web-error.filter.js';

/**
 * The presentation layer: server-rendered pages over the same services the GraphQL resolvers
 * call (never the app's own GraphQL). The public portal reads published data only, through
 * ListReadService like `/graphql`; the county console (`/console`) acts as the signed-in user,
 * with the permissions of `/admin/graphql` and the services' region scope checks.
 */
@Module({
  imports: [
    AdmissionModule,
    AuthModule,
    ListsModule,
    BodiesModule,
    RegionsModule,
    AccountabilityModule,
    ImportExportModule,
    CountyViewsModule,
    BasisAlertsModule,
    CatalogueImportModule,
    LegalModule,
    MulterModule.registerAsync({
      inject: [QUANZE_CONFIG],
      // Memory storage: the file is checked (dry run) and kept for "create the draft" (PendingUploads).
      // Three files for the legal catalogue's tables; the other forms take one (FileInterceptor refuses a second).
      useFactory: (config: QuanzeConfig) => ({ limits: { fileSize: config.importMaxBytes, files: 3, fields: 10, fieldSize: 10_000, parts: 14 } }),
    }),
  ],
  controllers: [AssetsController, PortalController, AnswerFeedbackController, PortalListsController, LedgerPageController, CountyPagesController, ConsoleAuthController, ConsoleListsController, ConsoleRegistryController, ConsoleCatalogueController, ConsoleQuestionsController],
  providers: [
    WebAssets,
    WebErrorFilter,
    ConsoleSessions,
    PendingUploads,
    ConsoleGuard,
    ConsoleErrorFilter,
    { provide: APP_FILTER, useClass: UnknownPageFilter },
  ],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The console's forms (application/x-www-form-urlencoded); its one upload is read by multer.
    consumer.apply(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 100 })).forRoutes(ConsoleAuthController, ConsoleListsController, ConsoleRegistryController, ConsoleQuestionsController);
    // The answer page's "was this right?" form: a question, a region, an item code and the answer.
    consumer.apply(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 })).forRoutes(AnswerFeedbackController);
  }
}
