import { Module } from '@nestjs/common';
import { BodiesModule } from '../bodies/bodies.module.js';
import { LegalModule } from '../legal/legal.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { BodyMergeService } from './body-merge.service.js';
import { ItemRepository } from './item.repository.js';
import { ListItemPreparer } from './list-item.preparer.js';
import { ListReadService } from './list-read.service.js';
import { ListVersionsService } from './list-versions.service.js';

@Module({
  imports: [RegionsModule, BodiesModule, LegalModule],
  providers: [ItemRepository, ListReadService, ListVersionsService, ListItemPreparer, BodyMergeService],
  exports: [ItemRepository, ListReadService, ListVersionsService, ListItemPreparer, BodyMergeService],
})
export class ListsModule {}
