import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module.js';
import { BodiesService } from './bodies.service.js';

@Module({ imports: [RegionsModule], providers: [BodiesService], exports: [BodiesService] })
export class BodiesModule {}
