import { Module } from '@nestjs/common';
import { BodiesModule } from '../bodies/bodies.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { AccountabilityService } from './accountability.service.js';
import { SearchIndexService } from './search-index.service.js';
import { SynonymsService } from './synonyms.service.js';
import { QuestionLogService } from './question-log.service.js';

@Module({
  imports: [RegionsModule, BodiesModule, ListsModule],
  providers: [AccountabilityService, SynonymsService, SearchIndexService, QuestionLogService],
  exports: [AccountabilityService, SynonymsService, SearchIndexService, QuestionLogService],
})
export class AccountabilityModule {}
