import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import type { Role } from '../../auth/user.entity.js';
import { AuditEventModel } from './audit.model.js';
import { AuditService } from './audit.service.js';

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** The audit trail of one object (admin endpoint only; region-scoped in the service). */
@Resolver(() => AuditEventModel)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => [AuditEventModel], { description: '某对象的审计记录（entityType: ListVersion、Body、User、SearchSynonym）' })
  @RequirePermission(Permission.READ_AUDIT)
  async auditTrail(
    @Args('entityType') entityType: string,
    @Args('entityId', { type: () => ID }) entityId: string,
    @Context() ctx: GraphQLRequestContext,
  ): Promise<AuditEventModel[]> {
    const events = await this.audit.trail(ctx.actor, entityType, entityId);
    return events.map((e) => ({
      seq: Number(e.seq),
      at: e.at,
      actor: e.actor,
      role: e.actorRole as Role | null,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      before: json(e.before),
      after: json(e.after),
      prevHash: e.prevHash,
      hash: e.hash,
    }));
  }
}
