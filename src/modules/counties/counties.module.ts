import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module.js';
import { CountySettingsService } from './county-settings.service.js';

@Module({ imports: [RegionsModule], providers: [CountySettingsService], exports: [CountySettingsService] })
export class CountiesModule {}
