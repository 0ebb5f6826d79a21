import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AuthResolver } from '../auth/auth.resolver.js';
import { BodiesModule } from '../modules/bodies/bodies.module.js';
import { BodiesAdminResolver } from '../modules/bodies/bodies.resolver.js';

/** Resolvers of the admin endpoint only (mutations and admin-only queries). */
@Module({
  imports: [AuthModule, BodiesModule],
  providers: [AuthResolver, BodiesAdminResolver],
})
export class AdminOperationsModule {}
