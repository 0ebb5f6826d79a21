import { Module } from '@nestjs/common';
import { BasisAlertsModule } from '../modules/basis-alerts/basis-alerts.module.js';
import { BodiesModule } from '../modules/bodies/bodies.module.js';
import { LegalModule } from '../modules/legal/legal.module.js';
import { ListsModule } from '../modules/lists/lists.module.js';
import { RegionsModule } from '../modules/regions/regions.module.js';
import { DemoListsSeeder } from './demo-lists.seeder.js';
import { SeedService } from './seed.service.js';

@Module({
  imports: [RegionsModule, BodiesModule, LegalModule, ListsModule, BasisAlertsModule],
  providers: [SeedService, DemoListsSeeder],
  exports: [SeedService],
})
export class SeedModule {}
