import { Module } from '@nestjs/common';
import { AccountabilityModule } from '../modules/accountability/accountability.module.js';
import { QuestionQueueResolver, SynonymsAdminResolver } from '../modules/accountability/accountability.resolver.js';
import { AdmissionModule } from '../modules/admission/admission.module.js';
import { TaskRequestsAdminResolver, TaskTargetResolver, VerdictMatchResolver } from '../modules/admission/admission.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { AuthModule } from '../auth/auth.module.js';
import { AuthResolver } from '../auth/auth.resolver.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { BodiesModule } from '../modules/bodies/bodies.module.js';
import { BodiesAdminResolver } from '../modules/bodies/bodies.resolver.js';
import { ImportExportModule } from '../modules/import-export/import-export.module.js';
import { ImportAdminResolver } from '../modules/import-export/import.resolver.js';
import { ListsModule } from '../modules/lists/lists.module.js';
import { ListsAdminResolver } from '../modules/lists/lists.resolver.js';

/** Resolvers of the admin endpoint only (mutations and admin-only queries). */
@Module({
  imports: [AuthModule, BodiesModule, ListsModule, AccountabilityModule, ImportExportModule, AdmissionModule],
  providers: [LoginThrottle, AuthResolver, BodiesAdminResolver, ListsAdminResolver, SynonymsAdminResolver, QuestionQueueResolver, AuditResolver, ImportAdminResolver,
    TaskRequestsAdminResolver, TaskTargetResolver, VerdictMatchResolver],
})
export class AdminOperationsModule {}
