import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { LocalDateScalar } from '../../common/local-date.scalar.js';
import { BodyModel } from '../bodies/body.model.js';
import { bodyLoader } from '../bodies/bodies.resolver.js';
import { BodiesService } from '../bodies/bodies.service.js';
import { ListReadService, readScopeFor } from '../lists/list-read.service.js';
import { CitationModel, ListVersionModel } from '../lists/list.model.js';
import { RegionModel } from '../regions/region.model.js';
import { regionLoader } from '../regions/regions.resolver.js';
import { RegionsService } from '../regions/regions.service.js';
import {
  AdmissionConditionsInput,
  BurdenLedgerModel,
  DecisionEnum,
  RequestStatusEnum,
  TaskRequestInput,
  TaskRequestModel,
  TaskTargetModel,
  VerdictMatchModel,
} from './admission.model.js';
import { AdmissionService } from './admission.service.js';
import { BurdenLedgerService } from './burden-ledger.service.js';
import type { Decision, RequestStatus } from './task-request.entity.js';

const versionLoader = (ctx: GraphQLRequestContext, reads: ListReadService) =>
  ctx.loaders.get('listVersion', () => reads.createVersionLoader(readScopeFor(ctx.endpoint, ctx.actor)));

/** The burden ledger, public on both endpoints: counts per department, no request's content. */
@Resolver(() => BurdenLedgerModel)
export class BurdenLedgerResolver {
  constructor(private readonly ledger: BurdenLedgerService) {}

  @Query(() => BurdenLedgerModel, { description: '减负台账：区划内各部门向乡镇派发的任务、判定结果和负担（按提交日期统计）' })
  @RequirePermission(Permission.READ_PUBLISHED)
  burdenLedger(
    @Args('regionCode') regionCode: string,
    @Args('from', { type: () => LocalDateScalar, nullable: true }) from: string | null,
    @Args('to', { type: () => LocalDateScalar, nullable: true }) to: string | null,
  ) {
    return this.ledger.ledger(regionCode, from ?? null, to ?? null);
  }
}

/** Task admission (职责准入), admin endpoint only; the service checks region scope on each request. */
@Resolver(() => TaskRequestModel)
export class TaskRequestsAdminResolver {
  constructor(
    private readonly admission: AdmissionService,
    private readonly bodies: BodiesService,
    private readonly regions: RegionsService,
  ) {}

  @Query(() => TaskRequestModel, { nullable: true, description: 'null when it does not exist or is not yours to see' })
  @RequirePermission(Permission.READ_TASK_REQUESTS)
  taskRequest(@Args('id', { type: () => ID }) id: string, @Context() ctx: GraphQLRequestContext) {
    return this.admission.find(ctx.actor, id);
  }

  @Query(() => [TaskRequestModel], { description: 'newest first; regionCode narrows to the requests sent to a county or township' })
  @RequirePermission(Permission.READ_TASK_REQUESTS)
  taskRequests(
    @Args('regionCode', { type: () => String, nullable: true }) regionCode: string | null,
    @Args('status', { type: () => RequestStatusEnum, nullable: true }) status: RequestStatus | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.admission.list(ctx.actor, { regionCode, status, first });
  }

  @Mutation(() => TaskRequestModel, { description: '提交职责准入申请：逐个乡镇对照开始日现行清单自动判定，并标出基层负担' })
  @RequirePermission(Permission.SUBMIT_TASK_REQUESTS)
  submitTaskRequest(@Args('input') input: TaskRequestInput, @Context() ctx: GraphQLRequestContext) {
    return this.admission.submit(ctx.actor, input);
  }

  @Mutation(() => TaskRequestModel, { description: '对清单不能判定的任务作出准入决定（不能决定自己提交的申请）' })
  @RequirePermission(Permission.DECIDE_TASK_REQUESTS)
  decideTaskRequest(
    @Args('id', { type: () => ID }) id: string,
    @Args('decision', { type: () => DecisionEnum }) decision: Decision,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @Args('conditions', { type: () => AdmissionConditionsInput, nullable: true }) conditions: AdmissionConditionsInput | null,
    @Context() ctx: GraphQLRequestContext,
  ) {
    return this.admission.decide(ctx.actor, id, decision, reason, conditions);
  }

  @Mutation(() => ListVersionModel, { description: '准予准入后，为乡镇责任清单新建草稿（调整原因“职责准入”）并与申请关联' })
  @RequirePermission(Permission.EDIT_LISTS)
  openAdmissionDraft(@Args('requestId', { type: () => ID }) requestId: string, @Args('townshipCode') townshipCode: string, @Context() ctx: GraphQLRequestContext) {
    return this.admission.openAdmissionDraft(ctx.actor, requestId, townshipCode);
  }

  @ResolveField(() => BodyModel)
  issuingBody(@Parent() r: TaskRequestModel, @Context() ctx: GraphQLRequestContext) {
    return bodyLoader(ctx, this.bodies).load(r.issuingBodyId);
  }

  @ResolveField(() => RegionModel)
  county(@Parent() r: TaskRequestModel, @Context() ctx: GraphQLRequestContext) {
    return regionLoader(ctx, this.regions).load(r.countyCode);
  }
}

@Resolver(() => TaskTargetModel)
export class TaskTargetResolver {
  constructor(
    private readonly reads: ListReadService,
    private readonly regions: RegionsService,
  ) {}

  @ResolveField(() => RegionModel)
  township(@Parent() t: TaskTargetModel, @Context() ctx: GraphQLRequestContext) {
    return regionLoader(ctx, this.regions).load(t.townshipCode);
  }

  @ResolveField(() => [ListVersionModel], { description: 'the published versions in force on the requested start date' })
  async listVersions(@Parent() t: TaskTargetModel, @Context() ctx: GraphQLRequestContext) {
    return (await versionLoader(ctx, this.reads).loadMany(t.versionIds)).filter((v): v is ListVersionModel => !!v && !(v instanceof Error));
  }

  @ResolveField(() => ListVersionModel, { nullable: true, description: 'the draft opened for an admitted task (change reason 职责准入), if visible to you' })
  draftVersion(@Parent() t: TaskTargetModel, @Context() ctx: GraphQLRequestContext) {
    return t.draftVersionId ? versionLoader(ctx, this.reads).load(t.draftVersionId) : null;
  }
}

@Resolver(() => VerdictMatchModel)
export class VerdictMatchResolver {
  constructor(
    private readonly reads: ListReadService,
    private readonly bodies: BodiesService,
  ) {}

  @ResolveField(() => BodyModel)
  accountableBody(@Parent() m: VerdictMatchModel, @Context() ctx: GraphQLRequestContext) {
    return bodyLoader(ctx, this.bodies).load(m.accountableBodyId);
  }

  @ResolveField(() => ListVersionModel, { nullable: true })
  version(@Parent() m: VerdictMatchModel, @Context() ctx: GraphQLRequestContext) {
    return versionLoader(ctx, this.reads).load(m.versionId);
  }

  @ResolveField(() => [CitationModel])
  citations(@Parent() m: VerdictMatchModel, @Context() ctx: GraphQLRequestContext) {
    return ctx.loaders.get('citations', () => this.reads.createCitationLoader()).load(m.itemId);
  }
}
