import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RegionsModule } from '../modules/regions/regions.module.js';
import { AuthService } from './auth.service.js';
import { PermissionGuard } from './permission.guard.js';

@Module({
  imports: [RegionsModule],
  providers: [AuthService, { provide: APP_GUARD, useClass: PermissionGuard }],
  exports: [AuthService],
})
export class AuthModule {}
