import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { LocalDateScalar, todayInChina } from '../../common/local-date.scalar.js';
import { BodyModel } from '../bodies/body.model.js';
import { bodyLoader } from '../bodies/bodies.resolver.js';
import { BodiesService } from '../bodies/bodies.service.js';
import { RegionModel } from '../regions/region.model.js';
import { regionLoader } from '../regions/regions.resolver.js';
import { RegionsService } from '../regions/regions.service.js';
import type { ListKind } from './duty-list.entity.js';
import type { ListSection, PowerCategory } from './list-item.entity.js';
import { ListReadService, readScopeFor } from './list-read.service.js';
import { CHANGE_REASONS_TEXT, ListVersionsService } from './list-versions.service.js';
import { BodyMergeService } from './body-merge.service.js';
import {
  CitationModel,
  CooperatingDutyModel,
  GateFindingModel,
  ListItemConnectionModel,
  ListItemInput,
  ListItemPatch,
  ListItemModel,
  ListKindEnum,
  ListSectionEnum,
  ListVersionModel,
  PowerCategoryEnum,
  VersionDiffModel,
} from './list.model.js';

const scopeOf = (ctx: GraphQLRequestContext) => readScopeFor(ctx.endpoint, ctx.actor);

/** List reads, served on both endpoints; ListReadService decides what each caller sees. */
@Resolver(() => ListVersionModel)
export class ListVersionsQueryResolver {
  constructor(
    private readonly reads: ListReadService,
    private readonly regionsService: RegionsService,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
    private readonly versions: ListVersionsService,
  ) {}

  @Query(() => ListVersionModel, { nullable: true })
  @RequirePermission(Permission.READ_PUBLISHED)
  listVersion(@Args('id', { type: () => ID }) id: string, @Context() ctx: GraphQLRequestContext) {
    return this.reads.findVersion(scopeOf(ctx), id);
  }

  @Query(() => ListVersionModel, { nullable: true, description: '某日现行有效的清单版本（默认今天）' })
  @RequirePermission(Permission.READ_PUBLISHED)
  listVersionInForce(
    @Args('regionCode') regionCode: string,
    @Args('kind', { type: () => ListKindEnum }) kind: ListKind,
    @Args('asOf', { type: () => LocalDateScalar, nullable: true }) asOf: string | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.reads.versionInForce(scopeOf(ctx), regionCode, kind, asOf ?? todayInChina());
  }

  @Query(() => [ListVersionModel], { description: 'history, newest first' })
  @RequirePermission(Permission.READ_PUBLISHED)
  listVersions(
    @Args('regionCode') regionCode: string,
    @Args('kind', { type: () => ListKindEnum }) kind: ListKind,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.reads.listVersions(scopeOf(ctx), regionCode, kind);
  }

  @Query(() => VersionDiffModel)
  @RequirePermission(Permission.READ_PUBLISHED)
  versionDiff(
    @Args('fromVersionId', { type: () => ID }) fromVersionId: string,
    @Args('toVersionId', { type: () => ID }) toVersionId: string,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.reads.diff(scopeOf(ctx), fromVersionId, toVersionId);
  }

  @ResolveField(() => RegionModel)
  region(@Parent() v: ListVersionModel, @Context() ctx: GraphQLRequestContext) {
    return regionLoader(ctx, this.regionsService).load(v.regionCode);
  }

  @ResolveField(() => [GateFindingModel], { nullable: true })
  gateFindings(@Parent() v: ListVersionModel) {
    return this.versions.gateFindingsOf(v);
  }

  @ResolveField(() => ListVersionModel, { nullable: true })
  basedOn(@Parent() v: ListVersionModel, @Context() ctx: GraphQLRequestContext) {
    if (!v.basedOnId) return null;
    return ctx.loaders.get('listVersion', () => this.reads.createVersionLoader(scopeOf(ctx))).load(v.basedOnId);
  }

  @ResolveField(() => ListItemConnectionModel)
  items(
    @Parent() v: ListVersionModel,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('section', { type: () => ListSectionEnum, nullable: true }) section: ListSection | null,
    @Args('category', { type: () => PowerCategoryEnum, nullable: true }) category: PowerCategory | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.reads.itemsPage(v, { first, after, section, category }, this.config.api.pageMax[ctx.endpoint]);
  }
}

@Resolver(() => ListItemModel)
export class ListItemResolver {
  constructor(
    private readonly reads: ListReadService,
    private readonly bodies: BodiesService,
  ) {}

  @ResolveField(() => BodyModel)
  accountableBody(@Parent() item: ListItemModel, @Context() ctx: GraphQLRequestContext) {
    return bodyLoader(ctx, this.bodies).load(item.accountableBodyId);
  }

  @ResolveField(() => BodyModel, { nullable: true })
  takeoverBody(@Parent() item: ListItemModel, @Context() ctx: GraphQLRequestContext) {
    return item.takeoverBodyId ? bodyLoader(ctx, this.bodies).load(item.takeoverBodyId) : null;
  }

  @ResolveField(() => [CitationModel])
  citations(@Parent() item: ListItemModel, @Context() ctx: GraphQLRequestContext) {
    return ctx.loaders.get('citations', () => this.reads.createCitationLoader()).load(item.id);
  }
}

@Resolver(() => CooperatingDutyModel)
export class CooperatingDutyResolver {
  constructor(private readonly bodies: BodiesService) {}

  @ResolveField(() => BodyModel)
  body(@Parent() c: CooperatingDutyModel, @Context() ctx: GraphQLRequestContext) {
    return bodyLoader(ctx, this.bodies).load(c.bodyId);
  }
}

/** Drafting and review, admin endpoint only. */
@Resolver()
export class ListsAdminResolver {
  constructor(private readonly versions: ListVersionsService) {}

  @Mutation(() => ListVersionModel, { description: '新建草稿（以现行或最新发布版本为基础）' })
  @RequirePermission(Permission.EDIT_LISTS)
  createDraft(
    @Args('regionCode') regionCode: string,
    @Args('kind', { type: () => ListKindEnum }) kind: ListKind,
    @Args('changeReason', { type: () => String, nullable: true, description: `调整原因，取值之一：${CHANGE_REASONS_TEXT}（默认 其他）；自由文字请填 changeNote` }) changeReason: string | null,
    @Args('changeNote', { type: () => String, nullable: true, description: '调整说明（自由文字，不超过2000个字符）' }) changeNote: string | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.createDraft(ctx.actor, regionCode, kind, changeReason, undefined, changeNote);
  }

  @Mutation(() => ListItemModel, {
    description:
      'Create or replace by itemCode: the input is the whole item, and every field it leaves out is cleared (to change some fields only, use updateItem). A stale expectedRevision gets VERSION_CONFLICT.',
  })
  @RequirePermission(Permission.EDIT_LISTS)
  saveItem(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('input') input: ListItemInput,
    @Args('expectedRevision', { type: () => Int, nullable: true }) expectedRevision: number | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.saveItem(ctx.actor, versionId, input, expectedRevision);
  }

  @Mutation(() => ListItemModel, {
    description: 'Changes only the fields given in patch (absent: kept; null: cleared) of an item of the draft, then validates the whole item as saveItem does. A stale expectedRevision gets VERSION_CONFLICT.',
  })
  @RequirePermission(Permission.EDIT_LISTS)
  updateItem(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('itemCode') itemCode: string,
    @Args('patch') patch: ListItemPatch,
    @Args('expectedRevision', { type: () => Int, nullable: true }) expectedRevision: number | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.updateItem(ctx.actor, versionId, itemCode, patch, expectedRevision);
  }

  @Mutation(() => ListVersionModel, {
    description: '为草稿中有检查问题（无实施依据、同一部分重名、依据无法解析）的事项登记理由：登记后可提交审核，审核人员在 gateFindings 中看到理由',
  })
  @RequirePermission(Permission.EDIT_LISTS)
  recordGateException(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('itemCode') itemCode: string,
    @Args('reason') reason: string,
    @Args('expectedRevision', { type: () => Int, nullable: true }) expectedRevision: number | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.recordGateException(ctx.actor, versionId, itemCode, reason, expectedRevision);
  }

  @Mutation(() => ListVersionModel, { description: '撤销为草稿中某事项登记的理由' })
  @RequirePermission(Permission.EDIT_LISTS)
  clearGateException(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('itemCode') itemCode: string,
    @Args('expectedRevision', { type: () => Int, nullable: true }) expectedRevision: number | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.clearGateException(ctx.actor, versionId, itemCode, expectedRevision);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.EDIT_LISTS)
  removeItem(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('itemCode') itemCode: string,
    @Args('expectedRevision', { type: () => Int, nullable: true }) expectedRevision: number | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.removeItem(ctx.actor, versionId, itemCode, expectedRevision);
  }

  @Mutation(() => Boolean, {
    description: '撤销未发布的版本（草稿、审核中或已审核通过）：版本及其事项改动删除，审计留痕；已发布的版本不可撤销。Its author, an EDITOR of the region or ADMIN.',
  })
  @RequirePermission(Permission.EDIT_LISTS)
  discardDraft(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('reason', { description: '撤销原因（必填）' }) reason: string,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.discardDraft(ctx.actor, versionId, reason);
  }

  @Mutation(() => ListVersionModel, {
    description: 'DRAFT → IN_REVIEW. Refused (CONFLICT, extensions.findings) while an item has a gate finding without a reason recorded by recordGateException.',
  })
  @RequirePermission(Permission.EDIT_LISTS)
  submitForReview(@Args('versionId', { type: () => ID }) versionId: string, @Context() ctx: GraphQLRequestContext) {
    return this.versions.submitForReview(ctx.actor, versionId);
  }

  @Mutation(() => ListVersionModel, { description: 'reviewer, never the author' })
  @RequirePermission(Permission.REVIEW_LISTS)
  approveVersion(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('opinion', { type: () => String, nullable: true }) opinion: string | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.approveVersion(ctx.actor, versionId, opinion);
  }

  @Mutation(() => ListVersionModel, { description: 'back to DRAFT with the opinion kept' })
  @RequirePermission(Permission.REVIEW_LISTS)
  rejectVersion(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('opinion') opinion: string,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.rejectVersion(ctx.actor, versionId, opinion);
  }

  @Mutation(() => ListVersionModel)
  @RequirePermission(Permission.PUBLISH_LISTS)
  publishVersion(
    @Args('versionId', { type: () => ID }) versionId: string,
    @Args('effectiveFrom', { type: () => LocalDateScalar }) effectiveFrom: string,
    @Args('approvalDocNumber') approvalDocNumber: string,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.versions.publishVersion(ctx.actor, versionId, effectiveFrom, approvalDocNumber);
  }
}

/** Merging two bodies that are one: it moves references in list drafts, so the lists module owns it (admin endpoint). */
@Resolver()
export class BodyMergeAdminResolver {
  constructor(private readonly merges: BodyMergeService) {}

  @Mutation(() => BodyModel, {
    description:
      '把 mergeId 主体合并到 keepId 主体（同一县）：草稿中的引用改为 keepId；已发布的事项不变，被合并的主体保留为记录（mergedInto），其名称和别名此后解析为 keepId。ADMIN，或辖区内的 EDITOR；审核中或已审核通过的版本引用它时拒绝（CONFLICT）',
  })
  @RequirePermission(Permission.MANAGE_COUNTY_BODIES)
  mergeBodies(
    @Args('keepId', { type: () => ID }) keepId: string,
    @Args('mergeId', { type: () => ID }) mergeId: string,
    @Args('reason') reason: string,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.merges.mergeBodies(ctx.actor, keepId, mergeId, reason);
  }
}
