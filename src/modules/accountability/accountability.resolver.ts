import { Args, Context, GraphQLISODateTime, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { LocalDateScalar } from '../../common/local-date.scalar.js';
import { BodyModel } from '../bodies/body.model.js';
import { bodyLoader } from '../bodies/bodies.resolver.js';
import { BodiesService } from '../bodies/bodies.service.js';
import { ListReadService, readScopeFor } from '../lists/list-read.service.js';
import { CitationModel, KNOWN_AT } from '../lists/list.model.js';
import { RegionModel } from '../regions/region.model.js';
import { regionLoader } from '../regions/regions.resolver.js';
import { RegionsService } from '../regions/regions.service.js';
import {
  AccountabilityAnswerModel, AccountabilityResultModel, QuestionMappedModel, QuestionMappingEnum, QueuedQuestionModel, SearchSynonymModel,
} from './accountability.model.js';
import { QuestionLogService } from './question-log.service.js';
import { AccountabilityService } from './accountability.service.js';
import { SynonymsService } from './synonyms.service.js';

/** "Who is accountable for X?", on both endpoints (answers come from published versions in force). */
@Resolver(() => AccountabilityAnswerModel)
export class AccountabilityResolver {
  constructor(
    private readonly accountability: AccountabilityService,
    private readonly reads: ListReadService,
    private readonly bodies: BodiesService,
    private readonly regions: RegionsService,
  ) {}

  @Query(() => AccountabilityResultModel, { description: '用日常语言问“这件事归谁管”，答复某日有效的清单中的责任主体、配合部门和法律依据' })
  @RequirePermission(Permission.READ_PUBLISHED)
  whoIsAccountable(
    @Args('question') question: string,
    @Args('regionCode') regionCode: string,
    @Args('asOf', { type: () => LocalDateScalar, nullable: true }) asOf: string | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('knownAt', { type: () => GraphQLISODateTime, nullable: true, description: KNOWN_AT }) knownAt: Date | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    const answered = this.accountability.whoIsAccountable(readScopeFor(ctx.endpoint, ctx.actor), question, regionCode, asOf, first, knownAt);
    // The public question log (question-log.plugin.ts) takes the answer from here when it was computed in this request.
    if (ctx.endpoint === 'public') (ctx.answeredQuestions ??= []).push({ question, regionCode, asOf, first, answered });
    return answered;
  }

  @ResolveField(() => BodyModel)
  accountableBody(@Parent() a: AccountabilityAnswerModel, @Context() ctx: GraphQLRequestContext) {
    return bodyLoader(ctx, this.bodies).load(a.accountableBodyId);
  }

  @ResolveField(() => [CitationModel])
  citations(@Parent() a: AccountabilityAnswerModel, @Context() ctx: GraphQLRequestContext) {
    return ctx.loaders.get('citations', () => this.reads.createCitationLoader()).load(a.itemId);
  }

  @ResolveField(() => RegionModel)
  township(@Parent() a: AccountabilityAnswerModel, @Context() ctx: GraphQLRequestContext) {
    return regionLoader(ctx, this.regions).load(a.townshipCode);
  }
}

/** The synonym table, kept by ADMINs (admin endpoint only). */
@Resolver(() => SearchSynonymModel)
export class SynonymsAdminResolver {
  constructor(private readonly synonymsService: SynonymsService) {}

  @Query(() => [SearchSynonymModel])
  @RequirePermission(Permission.MANAGE_CATALOGUE)
  synonyms() {
    return this.synonymsService.list();
  }

  @Mutation(() => SearchSynonymModel, { description: '新增或修改同义词（口语 → 规范用语），立即生效' })
  @RequirePermission(Permission.MANAGE_CATALOGUE)
  saveSynonym(@Args('term') term: string, @Args('expansions', { type: () => [String] }) expansions: string[], @Context() ctx: GraphQLRequestContext) {
    return this.synonymsService.save(ctx.actor, term, expansions);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.MANAGE_CATALOGUE)
  removeSynonym(@Args('term') term: string, @Context() ctx: GraphQLRequestContext) {
    return this.synonymsService.remove(ctx.actor, term);
  }
}

/** The questions people asked that found nothing good, and mapping them to items (admin endpoint, EDITOR and ADMIN). */
@Resolver(() => QueuedQuestionModel)
export class QuestionQueueResolver {
  constructor(private readonly questionLog: QuestionLogService) {}

  @Query(() => [QueuedQuestionModel], { description: '本区划群众提问中无答复、置信度低或被反馈答错且尚未处理的问题，按提问次数排序' })
  @RequirePermission(Permission.EDIT_LISTS)
  questionQueue(
    @Args('regionCode') regionCode: string,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.questionLog.queue(ctx.actor, regionCode, first);
  }

  @Mutation(() => QuestionMappedModel, { description: '把一条提问对应到正确的事项：加为该事项的常见问法（清单草稿），或加为同义词（仅系统管理员）' })
  @RequirePermission(Permission.EDIT_LISTS)
  mapQuestion(
    @Args('questionId') questionId: string,
    @Args('itemCode') itemCode: string,
    @Args('as', { type: () => QuestionMappingEnum }) as: 'ITEM_ALIAS' | 'SYNONYM',
    @Args('phrase', { type: () => String, nullable: true, description: '默认为提问原文（去掉标点）' }) phrase: string | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.questionLog.map(ctx.actor, questionId, itemCode, as, phrase);
  }
}
