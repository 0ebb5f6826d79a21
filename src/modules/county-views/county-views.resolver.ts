import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { LocalDateScalar, todayInChina } from '../../common/local-date.scalar.js';
import type { ListKind } from '../lists/duty-list.entity.js';
import { ListKindEnum } from '../lists/list.model.js';
import { BodyDutiesModel, CountyFindingModel, CountyMatrixModel } from './county-views.model.js';
import { CountyViewsService } from './county-views.service.js';
import { MatterLinkArgs } from './matter-link.args.js';
import { CountyFindingsService } from './county-findings.service.js';

/** County-wide views over the published lists in force, on both endpoints (the lists are public). */
@Resolver()
export class CountyViewsResolver {
  constructor(
    private readonly views: CountyViewsService,
    private readonly findings: CountyFindingsService,
  ) {}

  @Query(() => CountyMatrixModel, { description: '全县事项矩阵：各乡镇现行清单中的同一事项（事项 × 乡镇），标出不一致之处' })
  @RequirePermission(Permission.READ_PUBLISHED)
  countyMatrix(
    @Args('countyCode') countyCode: string,
    @Args('kind', { type: () => ListKindEnum }) kind: ListKind,
    @Args('asOf', { type: () => LocalDateScalar, nullable: true }) asOf: string | null,
  ) {
    return this.views.countyMatrix(countyCode, kind, asOf ?? todayInChina());
  }

  @Query(() => [CountyFindingModel], { description: '全县清单的缺漏与交叉：重复牵头、收回主体不是本县部门、配合主体已撤销、清单逾期未复核' })
  @RequirePermission(Permission.READ_PUBLISHED)
  countyFindings(@Args('countyCode') countyCode: string, @Args('asOf', { type: () => LocalDateScalar, nullable: true }) asOf: string | null) {
    return this.findings.findings(countyCode, asOf ?? todayInChina());
  }

  @Query(() => BodyDutiesModel, { description: '部门履职事项清单：一个部门在全县各乡镇现行清单中作为责任主体（牵头或收回）或配合主体的事项' })
  @RequirePermission(Permission.READ_PUBLISHED)
  bodyDuties(@Args('bodyId', { type: () => ID }) bodyId: string, @Args('asOf', { type: () => LocalDateScalar, nullable: true }) asOf: string | null) {
    return this.views.bodyDuties(bodyId, asOf ?? todayInChina());
  }
}

/** Editors' manual grouping of items into matters, admin endpoint only. */
@Resolver()
export class MatterLinksAdminResolver {
  constructor(private readonly views: CountyViewsService) {}

  @Mutation(() => Boolean, { description: '把两个乡镇清单中的事项归为同一事项（人工归并）；已是如此时答 false' })
  @RequirePermission(Permission.EDIT_LISTS)
  linkMatterItems(@Args() link: MatterLinkArgs, @Context() ctx: GraphQLRequestContext) {
    return this.setLink(ctx, link, true);
  }

  @Mutation(() => Boolean, { description: '两个事项不是同一事项（人工拆分），无论名称、概念或依据如何相近' })
  @RequirePermission(Permission.EDIT_LISTS)
  unlinkMatterItems(@Args() link: MatterLinkArgs, @Context() ctx: GraphQLRequestContext) {
    return this.setLink(ctx, link, false);
  }

  @Mutation(() => Boolean, { description: '撤销对两个事项的人工归并或拆分，回到自动归并' })
  @RequirePermission(Permission.EDIT_LISTS)
  clearMatterLink(@Args() link: MatterLinkArgs, @Context() ctx: GraphQLRequestContext) {
    return this.setLink(ctx, link, null);
  }

  private setLink(ctx: GraphQLRequestContext, l: MatterLinkArgs, linked: boolean | null) {
    const a = { regionCode: l.regionCodeA, itemCode: l.itemCodeA };
    const b = { regionCode: l.regionCodeB, itemCode: l.itemCodeB };
    return this.views.setMatterLink(ctx.actor, l.countyCode, l.kind, a, b, linked);
  }
}
