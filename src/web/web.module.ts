import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccountabilityModule } from '../modules/accountability/accountability.module.js';
import { AdmissionModule } from '../modules/admission/admission.module.js';
import { BodiesModule } from '../modules/bodies/bodies.module.js';
import { ListsModule } from '../modules/lists/lists.module.js';
import { RegionsModule } from '../modules/regions/regions.module.js';
import { CountyViewsModule } from '../modules/county-views/county-views.module.js';
import { CountyPagesController } from './portal/county.controller.js';
import { AssetsController } from './assets.controller.js';
import { LedgerPageController } from './portal/ledger.controller.js';
import { PortalListsController } from './portal/lists.controller.js';
import { PortalController } from './portal/portal.controller.js';
import { UnknownPageFilter } from './unknown-page.filter.js';
import { WebAssets } from './web-assets.js';
import { WebErrorFilter } from './web-error.filter.js';

/**
 * The presentation layer: server-rendered pages over the same services the GraphQL resolvers
 * call (never the app's own GraphQL). The public portal reads published data only, through
 * ListReadService like `/graphql`.
 */
@Module({
  imports: [AdmissionModule, AccountabilityModule, ListsModule, RegionsModule, BodiesModule, CountyViewsModule],
  controllers: [AssetsController, PortalController, PortalListsController, LedgerPageController, CountyPagesController],
  providers: [WebAssets, WebErrorFilter, { provide: APP_FILTER, useClass: UnknownPageFilter }],
})
export class WebModule {}
