import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RegionsModule } from '../modules/regions/regions.module.js';
import { AuthService } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';
import { PermissionGuard } from './permission.guard.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [RegionsModule],
  // LoginThrottle: one for every door that signs in (the API's login, the console's sign-in form).
  providers: [AuthService, UsersService, LoginThrottle, { provide: APP_GUARD, useClass: PermissionGuard }],
  exports: [AuthService, UsersService, LoginThrottle],
})
export class AuthModule {}
