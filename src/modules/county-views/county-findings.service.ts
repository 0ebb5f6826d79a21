import { Injectable } from '@nestjs/common';
import { CountySettingsService } from '../counties/county-settings.service.js';
import type { CountyFindingModel } from './county-views.model.js';
import { CountyViewsService } from './county-views.service.js';

/** The county's findings, with the county's own review period of lists (its county settings). */
@Injectable()
export class CountyFindingsService {
  constructor(
    private readonly views: CountyViewsService,
    private readonly settings: CountySettingsService,
  ) {}

  findings(countyCode: string, asOf: string): Promise<CountyFindingModel[]> {
    return this.views.countyFindings(countyCode, asOf, async (county) => (await this.settings.forRegion(county)).listReviewMonths);
  }
}
