import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { WebhookDeliveryModel, WebhookModel, WebhookRegistrationModel } from './webhook.model.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhooks of a county: ADMIN only, admin endpoint only. */
@Resolver()
export class WebhooksAdminResolver {
  constructor(private readonly service: WebhooksService) {}

  @Mutation(() => WebhookRegistrationModel, { description: '登记县级推送订阅：本县乡镇每次发布清单都向该地址推送（HMAC-SHA256 签名）' })
  @RequirePermission(Permission.MANAGE_WEBHOOKS)
  registerWebhook(
    @Args('countyCode') countyCode: string,
    @Args('url') url: string,
    @Args('description', { type: () => String, nullable: true }) description: string | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.service.register(ctx.actor, countyCode, url, description);
  }

  @Mutation(() => WebhookModel, { description: '停用或重新启用推送订阅（停用后不再推送，未送达的推送不再重试）' })
  @RequirePermission(Permission.MANAGE_WEBHOOKS)
  setWebhookActive(@Args('id', { type: () => ID }) id: string, @Args('active') active: boolean, @Context() ctx: GraphQLRequestContext) {
    return this.service.setActive(ctx.actor, id, active);
  }

  @Query(() => [WebhookModel])
  @RequirePermission(Permission.MANAGE_WEBHOOKS)
  webhooks(@Args('countyCode') countyCode: string, @Context() ctx: GraphQLRequestContext) {
    return this.service.webhooks(ctx.actor, countyCode);
  }

  @Query(() => [WebhookDeliveryModel], { description: '投递日志：最近的推送及每次尝试' })
  @RequirePermission(Permission.MANAGE_WEBHOOKS)
  webhookDeliveries(
    @Args('webhookId', { type: () => ID }) webhookId: string,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.service.deliveries(ctx.actor, webhookId, first ?? 50);
  }
}
