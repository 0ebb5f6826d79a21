import { type DynamicModule, Global, Module } from '@nestjs/common';
import { QUANZE_CONFIG, type QuanzeConfig } from './config.js';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: QuanzeConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: QUANZE_CONFIG, useValue: config }], exports: [QUANZE_CONFIG] };
  }
}
