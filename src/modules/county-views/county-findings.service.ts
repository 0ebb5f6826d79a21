import { Injectable } from '@nestjs/common';
import type { CountyFindingModel } from './county-views.model.js';
import { CountyViewsService } from './county-views.service.js';

/** The county's findings, with the county's own review period of lists (county settings). */
@Injectable()
export class CountyFindingsService {
  constructor(private readonly views: CountyViewsService) {}

  findings(countyCode: string, asOf: string): Promise<CountyFindingModel[]> {
    return this.views.countyFindings(countyCode, asOf, async () => null);
  }
}
