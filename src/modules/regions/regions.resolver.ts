import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { RegionLevelEnum, RegionModel } from './region.model.js';
import type { RegionLevel } from './region.entity.js';
import { RegionsService } from './regions.service.js';

export const regionLoader = (ctx: GraphQLRequestContext, regions: RegionsService) =>
  ctx.loaders.get('region', () => regions.createLoader());

@Resolver(() => RegionModel)
export class RegionsResolver {
  constructor(private readonly regionsService: RegionsService) {}

  @Query(() => RegionModel, { nullable: true, description: '按代码查询区划；可用2/4/6/9/12位代码' })
  @RequirePermission(Permission.READ_PUBLISHED)
  region(@Args('code') code: string) {
    return this.regionsService.findRegion(code);
  }

  @Query(() => [RegionModel])
  @RequirePermission(Permission.READ_PUBLISHED)
  regions(
    @Args('parentCode', { nullable: true }) parentCode?: string,
    @Args('level', { type: () => RegionLevelEnum, nullable: true }) level?: RegionLevel,
  ) {
    return this.regionsService.listRegions(parentCode, level);
  }

  @ResolveField(() => RegionModel, { nullable: true })
  parent(@Parent() region: RegionModel, @Context() ctx: GraphQLRequestContext) {
    return region.parentCode ? regionLoader(ctx, this.regionsService).load(region.parentCode) : null;
  }

  @ResolveField(() => [RegionModel])
  children(@Parent() region: RegionModel) {
    return this.regionsService.listRegions(region.code, null);
  }
}
