import { Module } from '@nestjs/common';
import { BodiesModule } from '../bodies/bodies.module.js';
import { CountiesModule } from '../counties/counties.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { CountyFindingsService } from './county-findings.service.js';
import { CountyViewsService } from './county-views.service.js';
import { CountyExportsController } from './county-exports.controller.js';
import { FeedController } from './feed.controller.js';
import { PublicationFeedService } from './publication-feed.service.js';

/** County-wide views: matters across townships, the matrix, findings, a department's duties. */
@Module({
  imports: [RegionsModule, BodiesModule, CountiesModule],
  providers: [CountyViewsService, CountyFindingsService, PublicationFeedService],
  controllers: [FeedController, CountyExportsController],
  exports: [CountyViewsService, CountyFindingsService, PublicationFeedService],
})
export class CountyViewsModule {}
