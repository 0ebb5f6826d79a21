import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { RegionModel } from '../regions/region.model.js';
import { regionLoader } from '../regions/regions.resolver.js';
import { RegionsService } from '../regions/regions.service.js';
import { BodyModel } from './body.model.js';
import { BodiesService } from './bodies.service.js';

export const bodyLoader = (ctx: GraphQLRequestContext, bodies: BodiesService) =>
  ctx.loaders.get('body', () => bodies.createLoader());

/** Body reads, on both endpoints. */
@Resolver(() => BodyModel)
export class BodiesResolver {
  constructor(
    private readonly bodiesService: BodiesService,
    private readonly regions: RegionsService,
  ) {}

  @Query(() => [BodyModel], { description: '区划内的主体（县级代码：本县部门、乡镇及村）' })
  @RequirePermission(Permission.READ_PUBLISHED)
  bodies(
    @Args('regionCode') regionCode: string,
    @Args('includeMerged', { type: () => Boolean, nullable: true, description: '也列出已合并到其他主体的主体（默认不列出）' }) includeMerged: boolean | null,
  ) {
    return this.bodiesService.listBodies(regionCode, includeMerged ?? false);
  }

  @ResolveField(() => [String])
  aliases(@Parent() body: BodyModel, @Context() ctx: GraphQLRequestContext) {
    return ctx.loaders.get('bodyAliases', () => this.bodiesService.createAliasLoader()).load(body.id);
  }

  @ResolveField(() => BodyModel, { nullable: true })
  mergedInto(@Parent() body: BodyModel, @Context() ctx: GraphQLRequestContext) {
    return body.mergedIntoId ? bodyLoader(ctx, this.bodiesService).load(body.mergedIntoId) : null;
  }

  @ResolveField(() => RegionModel)
  region(@Parent() body: BodyModel, @Context() ctx: GraphQLRequestContext) {
    return regionLoader(ctx, this.regions).load(body.regionCode);
  }
}

/** Body administration, admin endpoint only. */
@Resolver(() => BodyModel)
export class BodiesAdminResolver {
  constructor(private readonly bodies: BodiesService) {}

  @Mutation(() => BodyModel)
  @RequirePermission(Permission.MANAGE_BODIES)
  createBody(@Args('name') name: string, @Args('kind') kind: string, @Args('regionCode') regionCode: string, @Context() ctx: GraphQLRequestContext) {
    return this.bodies.createBody(ctx.actor, name, kind, regionCode);
  }

  @Mutation(() => BodyModel)
  @RequirePermission(Permission.MANAGE_BODIES)
  renameBody(@Args('id', { type: () => ID }) id: string, @Args('name') name: string, @Context() ctx: GraphQLRequestContext) {
    return this.bodies.renameBody(ctx.actor, id, name);
  }

  @Mutation(() => BodyModel, { description: '登记主体的别名（旧名称、简称）：清单中写该名称时解析为本主体。ADMIN，或辖区内的 EDITOR' })
  @RequirePermission(Permission.MANAGE_COUNTY_BODIES)
  addBodyAlias(@Args('bodyId', { type: () => ID }) bodyId: string, @Args('alias') alias: string, @Context() ctx: GraphQLRequestContext) {
    return this.bodies.addBodyAlias(ctx.actor, bodyId, alias);
  }

  @Mutation(() => BodyModel, { description: '删除主体的别名。ADMIN，或辖区内的 EDITOR' })
  @RequirePermission(Permission.MANAGE_COUNTY_BODIES)
  removeBodyAlias(@Args('bodyId', { type: () => ID }) bodyId: string, @Args('alias') alias: string, @Context() ctx: GraphQLRequestContext) {
    return this.bodies.removeBodyAlias(ctx.actor, bodyId, alias);
  }
}
