import { type DynamicModule, Module } from '@nestjs/common';
import { ApiModule } from './api/api.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import type { QuanzeConfig } from './config/config.js';
import { DatabaseModule, type DatabaseEngine } from './database/database.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { ImportExportModule } from './modules/import-export/import-export.module.js';
import { HealthController } from './health/health.controller.js';
import { SeedModule } from './seed/seed.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  static forRoot(config: QuanzeConfig, databaseUrl: string, engine: DatabaseEngine): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(databaseUrl, engine, config.dbPoolSize), AuditModule, AuthModule, ApiModule, ImportExportModule, SeedModule, WebModule],
      controllers: [HealthController],
    };
  }
}
