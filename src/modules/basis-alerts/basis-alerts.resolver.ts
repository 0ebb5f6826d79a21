import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import type { AlertStatus } from './basis-alert.entity.js';
import { BasisAlertModel, BasisAlertStatusEnum } from './basis-alert.model.js';
import { BasisAlertsService } from './basis-alerts.service.js';

/** Basis alerts, admin endpoint only. */
@Resolver(() => BasisAlertModel)
export class BasisAlertsResolver {
  constructor(private readonly alerts: BasisAlertsService) {}

  @Query(() => [BasisAlertModel], { description: '依据变更提醒：乡镇或县级区划（默认本人管辖区划）内的提醒，status 默认 OPEN' })
  @RequirePermission(Permission.READ_DRAFTS)
  basisAlerts(
    @Args('regionCode', { type: () => String, nullable: true }) regionCode: string | null,
    @Args('status', { type: () => BasisAlertStatusEnum, nullable: true }) status: AlertStatus | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.alerts.list(ctx.actor, regionCode, status ?? 'OPEN');
  }

  @Mutation(() => BasisAlertModel, {
    description: '处理提醒：打开（或沿用）该清单的草稿（调整原因“立改废释”），把建议的新引用写入事项的实施依据（可用 legalBasis 给出自己调整后的全文），并关联提醒；草稿发布时提醒关闭',
  })
  @RequirePermission(Permission.EDIT_LISTS)
  actOnBasisAlert(
    @Args('alertId', { type: () => ID }) alertId: string,
    @Args('legalBasis', { type: () => String, nullable: true }) legalBasis: string | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.alerts.act(ctx.actor, alertId, legalBasis);
  }

  @Mutation(() => BasisAlertModel, { description: '忽略提醒（必须说明原因）' })
  @RequirePermission(Permission.EDIT_LISTS)
  dismissBasisAlert(@Args('alertId', { type: () => ID }) alertId: string, @Args('reason') reason: string, @Context() ctx: GraphQLRequestContext) {
    return this.alerts.dismiss(ctx.actor, alertId, reason);
  }
}
