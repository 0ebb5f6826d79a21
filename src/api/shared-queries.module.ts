import { Module } from '@nestjs/common';
import { AccountabilityModule } from '../modules/accountability/accountability.module.js';
import { AccountabilityResolver } from '../modules/accountability/accountability.resolver.js';
import { AdmissionModule } from '../modules/admission/admission.module.js';
import { BurdenLedgerResolver } from '../modules/admission/admission.resolver.js';
import { BodiesModule } from '../modules/bodies/bodies.module.js';
import { BodiesResolver } from '../modules/bodies/bodies.resolver.js';
import { LegalModule } from '../modules/legal/legal.module.js';
import { InstrumentVersionResolver, LegalInstrumentsResolver } from '../modules/legal/legal.resolver.js';
import { ListsModule } from '../modules/lists/lists.module.js';
import { CountyViewsModule } from '../modules/county-views/county-views.module.js';
import { CountyViewsResolver } from '../modules/county-views/county-views.resolver.js';
import { CooperatingDutyResolver, ListItemResolver, ListVersionsQueryResolver } from '../modules/lists/lists.resolver.js';
import { RegionsModule } from '../modules/regions/regions.module.js';
import { RegionsResolver } from '../modules/regions/regions.resolver.js';

/** Resolvers served on both endpoints; what each caller sees is decided in the services. */
@Module({
  imports: [RegionsModule, BodiesModule, ListsModule, AccountabilityModule, AdmissionModule, LegalModule, CountyViewsModule],
  providers: [RegionsResolver, BodiesResolver, ListVersionsQueryResolver, ListItemResolver, CooperatingDutyResolver, AccountabilityResolver, BurdenLedgerResolver,
    LegalInstrumentsResolver, InstrumentVersionResolver, CountyViewsResolver],
})
export class SharedQueriesModule {}
