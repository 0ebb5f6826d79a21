import { Module } from '@nestjs/common';
import { BodiesModule } from '../bodies/bodies.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { CountyFindingsService } from './county-findings.service.js';
import { CountyViewsService } from './county-views.service.js';

/** County-wide views: matters across townships, the matrix, findings, a department's duties. */
@Module({
  imports: [RegionsModule, BodiesModule],
  providers: [CountyViewsService, CountyFindingsService],
  exports: [CountyViewsService, CountyFindingsService],
})
export class CountyViewsModule {}
