import { Module } from '@nestjs/common';
import { BodiesModule } from '../bodies/bodies.module.js';
import { CountiesModule } from '../counties/counties.module.js';
import { LegalModule } from '../legal/legal.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { BodyMergeService } from './body-merge.service.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ItemRepository } from './item.repository.js';
import { ListItemPreparer } from './list-item.preparer.js';
import { ListReadService } from './list-read.service.js';
import { ListVersionsService } from './list-versions.service.js';
import { PublicationHooks } from './publication-hooks.js';

@Module({
  imports: [RegionsModule, BodiesModule, LegalModule, CountiesModule, WebhooksModule],
  providers: [ItemRepository, ListReadService, ListVersionsService, ListItemPreparer, BodyMergeService, PublicationHooks],
  exports: [ItemRepository, ListReadService, ListVersionsService, ListItemPreparer, BodyMergeService, PublicationHooks],
})
export class ListsModule {}
