import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RegionsModule } from '../modules/regions/regions.module.js';
import { AuthService } from './auth.service.js';
import { PermissionGuard } from './permission.guard.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [RegionsModule],
  providers: [AuthService, UsersService, { provide: APP_GUARD, useClass: PermissionGuard }],
  exports: [AuthService, UsersService],
})
export class AuthModule {}
