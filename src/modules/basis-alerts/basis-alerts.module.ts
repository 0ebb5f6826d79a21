import { Module } from '@nestjs/common';
import { BodiesModule } from '../bodies/bodies.module.js';
import { LegalModule } from '../legal/legal.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { BasisAlertsService } from './basis-alerts.service.js';

@Module({ imports: [LegalModule, ListsModule, BodiesModule], providers: [BasisAlertsService], exports: [BasisAlertsService] })
export class BasisAlertsModule {}
