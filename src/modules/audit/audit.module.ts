import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';

/** Global: every module that changes data records its changes here. */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
