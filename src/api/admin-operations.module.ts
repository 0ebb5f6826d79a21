import { Module } from '@nestjs/common';
import { AccountabilityModule } from '../modules/accountability/accountability.module.js';
import { QuestionQueueResolver, SynonymsAdminResolver } from '../modules/accountability/accountability.resolver.js';
import { AdmissionModule } from '../modules/admission/admission.module.js';
import { TaskRequestsAdminResolver, TaskTargetResolver, VerdictMatchResolver } from '../modules/admission/admission.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { AuthModule } from '../auth/auth.module.js';
import { AuthResolver } from '../auth/auth.resolver.js';
import { BasisAlertsModule } from '../modules/basis-alerts/basis-alerts.module.js';
import { BasisAlertsResolver } from '../modules/basis-alerts/basis-alerts.resolver.js';
import { CatalogueImportModule } from '../modules/basis-alerts/catalogue-import.module.js';
import { CatalogueImportResolver } from '../modules/basis-alerts/catalogue-import.resolver.js';
import { BodiesModule } from '../modules/bodies/bodies.module.js';
import { BodiesAdminResolver } from '../modules/bodies/bodies.resolver.js';
import { CountiesModule } from '../modules/counties/counties.module.js';
import { CountySettingsAdminResolver } from '../modules/counties/county-settings.resolver.js';
import { ImportExportModule } from '../modules/import-export/import-export.module.js';
import { BodiesImportAdminResolver, ImportAdminResolver } from '../modules/import-export/import.resolver.js';
import { ListsModule } from '../modules/lists/lists.module.js';
import { BodyMergeAdminResolver, ListsAdminResolver } from '../modules/lists/lists.resolver.js';
import { CountyViewsModule } from '../modules/county-views/county-views.module.js';
import { MatterLinksAdminResolver } from '../modules/county-views/county-views.resolver.js';
import { WebhooksModule } from '../modules/webhooks/webhooks.module.js';
import { WebhooksAdminResolver } from '../modules/webhooks/webhooks.resolver.js';

/** Resolvers of the admin endpoint only (mutations and admin-only queries). */
@Module({
  imports: [AuthModule, BodiesModule, ListsModule, AccountabilityModule, ImportExportModule, AdmissionModule, CountiesModule, BasisAlertsModule, CatalogueImportModule, CountyViewsModule, WebhooksModule],
  providers: [AuthResolver, BodiesAdminResolver, ListsAdminResolver, BodyMergeAdminResolver, SynonymsAdminResolver, QuestionQueueResolver, AuditResolver, ImportAdminResolver, BodiesImportAdminResolver,
    TaskRequestsAdminResolver, TaskTargetResolver, VerdictMatchResolver, CountySettingsAdminResolver, BasisAlertsResolver, MatterLinksAdminResolver, WebhooksAdminResolver, CatalogueImportResolver],
})
export class AdminOperationsModule {}
