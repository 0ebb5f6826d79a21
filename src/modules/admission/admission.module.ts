import { Module } from '@nestjs/common';
import { AccountabilityModule } from '../accountability/accountability.module.js';
import { BodiesModule } from '../bodies/bodies.module.js';
import { LegalModule } from '../legal/legal.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { AdmissionService } from './admission.service.js';
import { BurdenLedgerService } from './burden-ledger.service.js';
import { BurdenLedgerExportController } from './ledger-export.controller.js';
import { ListMatcher } from './list-matcher.js';

/** Task admission (职责准入) and the burden ledger; re-exports what its resolvers need besides. */
@Module({
  imports: [RegionsModule, BodiesModule, LegalModule, ListsModule, AccountabilityModule],
  providers: [AdmissionService, BurdenLedgerService, ListMatcher],
  controllers: [BurdenLedgerExportController],
  exports: [AdmissionService, BurdenLedgerService, RegionsModule, BodiesModule, ListsModule],
})
export class AdmissionModule {}
