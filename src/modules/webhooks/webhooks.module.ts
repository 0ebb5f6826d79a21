import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhooks per county: registration, the publication outbox, the dispatcher. */
@Module({
  imports: [RegionsModule],
  providers: [WebhooksService],
  exports: [WebhooksService],
})
export class WebhooksModule {}
