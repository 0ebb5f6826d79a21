import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { CountySettingsInput, CountySettingsModel } from './county-settings.model.js';
import { CountySettingsService } from './county-settings.service.js';

/** County settings, admin endpoint only: read by the county's own users, changed by an ADMIN. */
@Resolver(() => CountySettingsModel)
export class CountySettingsAdminResolver {
  constructor(private readonly settings: CountySettingsService) {}

  @Query(() => CountySettingsModel, { description: '县（市、区）的清单管理规则（本辖区用户可查看）' })
  @RequirePermission(Permission.READ_PUBLISHED)
  countySettings(@Args('countyCode') countyCode: string, @Context() ctx: GraphQLRequestContext) {
    return this.settings.settingsOf(ctx.actor, countyCode);
  }

  @Mutation(() => CountySettingsModel, { description: '修改县（市、区）的清单管理规则（未填写的项保持不变，null 表示清除）' })
  @RequirePermission(Permission.MANAGE_COUNTY_SETTINGS)
  updateCountySettings(@Args('countyCode') countyCode: string, @Args('input') input: CountySettingsInput, @Context() ctx: GraphQLRequestContext) {
    return this.settings.updateSettings(ctx.actor, countyCode, input);
  }
}
