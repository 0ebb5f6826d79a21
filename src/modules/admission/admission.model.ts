import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';
import { LocalDateScalar } from '../../common/local-date.scalar.js';
import { BodyModel } from '../bodies/body.model.js';
import { ListKindEnum, ListSectionEnum, TownshipRoleEnum } from '../lists/list.model.js';
import type { ListKind } from '../lists/duty-list.entity.js';
import type { ListSection, TownshipRole } from '../lists/list-item.entity.js';
import { RegionModel } from '../regions/region.model.js';
import {
  BURDEN_FLAG_KINDS,
  CONFIDENCES,
  DECISIONS,
  REPORTING_FREQUENCIES,
  REQUEST_STATUSES,
  VERDICTS,
  type BurdenFlagKind,
  type Confidence,
  type Decision,
  type ReportingFrequency,
  type RequestStatus,
  type Verdict,
} from './task-request.entity.js';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const ReportingFrequencyEnum = enumOf(REPORTING_FREQUENCIES);
export const VerdictEnum = enumOf(VERDICTS);
export const ConfidenceEnum = enumOf(CONFIDENCES);
export const RequestStatusEnum = enumOf(REQUEST_STATUSES);
export const DecisionEnum = enumOf(DECISIONS);
export const BurdenFlagKindEnum = enumOf(BURDEN_FLAG_KINDS);
registerEnumType(ReportingFrequencyEnum, { name: 'ReportingFrequency', description: 'ONCE 一次性 / MONTHLY 每月 / WEEKLY 每周 / DAILY 每天' });
registerEnumType(VerdictEnum, {
  name: 'AdmissionVerdict',
  description: 'IN_LIST_LEAD 乡镇基本履职 / IN_LIST_COOPERATE 乡镇配合履职 / RECLAIMED 已由上级部门收回 / NOT_IN_LIST 不在清单内，须准入',
});
registerEnumType(ConfidenceEnum, { name: 'MatchConfidence', description: 'LOW: the match is left to a person (needsDecision)' });
registerEnumType(RequestStatusEnum, {
  name: 'TaskRequestStatus',
  description: 'AWAITING_DECISION 待县级准入决定 / SETTLED 清单已能判定、无需决定 / ADMITTED 准予 / DECLINED 不予准入',
});
registerEnumType(DecisionEnum, { name: 'AdmissionDecision' });
registerEnumType(BurdenFlagKindEnum, { name: 'BurdenFlagKind', description: '基层负担的种类' });

// ---------------------------------------------------------------- the public ledger

@ObjectType('VerdictCounts', { description: 'target townships by verdict' })
export class VerdictCountsModel {
  @Field(() => Int)
  inListLead: number;
  @Field(() => Int)
  inListCooperate: number;
  @Field(() => Int)
  reclaimed: number;
  @Field(() => Int)
  notInList: number;
}

@ObjectType('BurdenFlagCount')
export class BurdenFlagCountModel {
  @Field(() => BurdenFlagKindEnum)
  kind: BurdenFlagKind;
  @Field({ description: 'the flag in Chinese' })
  label: string;
  @Field(() => Int, { description: 'requests carrying the flag' })
  requests: number;
}

@ObjectType('BurdenLedgerRow', { description: "one department's requests in the period (or all departments': the total)" })
export class BurdenLedgerRowModel {
  @Field(() => BodyModel, { nullable: true, description: 'the issuing department; null on the total row' })
  body?: BodyModel | null;
  @Field(() => Int)
  requests: number;
  @Field(() => Int, { description: 'distinct townships the requests were sent to' })
  townshipsReached: number;
  @Field(() => Int, { description: 'request × township pairs checked' })
  targets: number;
  @Field(() => VerdictCountsModel)
  verdicts: VerdictCountsModel;
  @Field(() => Float, { description: 'share of targets NOT_IN_LIST (0–1)' })
  shareOutsideLists: number;
  @Field(() => Float, { description: 'share of requests DECLINED by the county (0–1)' })
  shareDeclined: number;
  @Field(() => Int)
  admitted: number;
  @Field(() => Int)
  declined: number;
  @Field(() => [BurdenFlagCountModel])
  flags: BurdenFlagCountModel[];
  @Field(() => Float, { description: 'recurring reports a month the requirements ask of all the townships together' })
  reportingEventsPerMonth: number;
}

@ObjectType('BurdenLedger', { description: '减负台账：各部门向乡镇派发任务的情况' })
export class BurdenLedgerModel {
  @Field()
  regionCode: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'first day of submission counted; null: from the beginning' })
  from: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'last day of submission counted; null: to date' })
  to: string | null;
  @Field(() => [BurdenLedgerRowModel], { description: 'per issuing department, most requests first' })
  departments: BurdenLedgerRowModel[];
  @Field(() => BurdenLedgerRowModel)
  total: BurdenLedgerRowModel;
}

// ---------------------------------------------------------------- requests (admin endpoint only)

@ObjectType('BurdenFlag', { registerIn: () => AdminSchemaScope })
export class BurdenFlagModel {
  @Field(() => BurdenFlagKindEnum)
  kind: BurdenFlagKind;
  @Field()
  label: string;
  @Field({ description: 'why, in Chinese' })
  reason: string;
}

@ObjectType('ReportingRequirements', { registerIn: () => AdminSchemaScope })
export class ReportingRequirementsModel {
  @Field(() => ReportingFrequencyEnum)
  frequency: ReportingFrequency;
  @Field({ description: '当天上报' })
  sameDay: boolean;
  @Field(() => [String], { description: 'forms to fill' })
  forms: string[];
  @Field({ description: 'photos or other 留痕 evidence' })
  photos: boolean;
  @Field()
  meetings: boolean;
  @Field({ description: 'a signed 责任状' })
  responsibilityLetter: boolean;
  @Field(() => Float, { nullable: true, description: 'weight in the annual assessment (考核分值)' })
  assessmentWeight: number | null;
}

@InputType('ReportingRequirementsInput', { registerIn: () => AdminSchemaScope })
export class ReportingRequirementsInput {
  @Field(() => ReportingFrequencyEnum)
  frequency: ReportingFrequency;
  @Field({ nullable: true, defaultValue: false })
  sameDay?: boolean;
  @Field(() => [String], { nullable: true })
  forms?: string[] | null;
  @Field({ nullable: true, defaultValue: false })
  photos?: boolean;
  @Field({ nullable: true, defaultValue: false })
  meetings?: boolean;
  @Field({ nullable: true, defaultValue: false })
  responsibilityLetter?: boolean;
  @Field(() => Float, { nullable: true })
  assessmentWeight?: number | null;
}

@InputType('TaskRequestInput', { registerIn: () => AdminSchemaScope })
export class TaskRequestInput {
  @Field(() => ID, { nullable: true, description: "the issuing department; a DEPARTMENT user's own body when omitted" })
  issuingBodyId?: string | null;
  @Field(() => [String], { description: 'townships, or a county for all its townships (codes)' })
  targetCodes: string[];
  @Field()
  title: string;
  @Field()
  content: string;
  @Field(() => LocalDateScalar, { description: 'the lists in force on this date decide' })
  requestedStart: string;
  @Field(() => LocalDateScalar, { nullable: true })
  deadline?: string | null;
  @Field(() => ReportingRequirementsInput)
  reporting: ReportingRequirementsInput;
  @Field(() => String, { nullable: true, description: 'the legal basis the department claims, as written' })
  claimedBasis?: string | null;
  @Field(() => [String], { nullable: true })
  attachmentNames?: string[] | null;
}

@ObjectType('AdmissionConditions', { registerIn: () => AdminSchemaScope })
export class AdmissionConditionsModel {
  @Field(() => String, { nullable: true, description: '资源保障' })
  resources: string | null;
  @Field(() => String, { nullable: true, description: '人员' })
  staff: string | null;
  @Field(() => String, { nullable: true, description: '经费' })
  funds: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: '期限' })
  timeLimit: string | null;
}

@InputType('AdmissionConditionsInput', { registerIn: () => AdminSchemaScope })
export class AdmissionConditionsInput {
  @Field(() => String, { nullable: true })
  resources?: string | null;
  @Field(() => String, { nullable: true })
  staff?: string | null;
  @Field(() => String, { nullable: true })
  funds?: string | null;
  @Field(() => LocalDateScalar, { nullable: true })
  timeLimit?: string | null;
}

@ObjectType('VerdictMatch', { registerIn: () => AdminSchemaScope, description: 'a list item the check matched, as it stood in the list in force' })
export class VerdictMatchModel {
  @Field()
  itemCode: string;
  @Field()
  name: string;
  @Field(() => ListKindEnum)
  kind: ListKind;
  @Field(() => ListSectionEnum, { nullable: true })
  section: ListSection | null;
  @Field(() => TownshipRoleEnum)
  townshipRole: TownshipRole;
  @Field(() => BodyModel)
  accountableBody?: BodyModel;
  @Field(() => String, { nullable: true, description: "the township's duty in the item (its cooperating duty for a cooperative item)" })
  townshipDuty: string | null;
  @Field(() => Float, { description: "the search engine's score; 0 when found by its citations only" })
  score: number;
  @Field(() => [String])
  matchedTerms: string[];
  @Field(() => [String], { description: 'articles of the claimed basis this item also cites' })
  citedArticles: string[];

  itemId: string;
  accountableBodyId: string;
  versionId: string;
}

@ObjectType('TaskTarget', { registerIn: () => AdminSchemaScope, description: 'the automatic check of a request for one township' })
export class TaskTargetModel {
  @Field(() => RegionModel)
  township?: RegionModel;
  @Field(() => VerdictEnum)
  verdict: Verdict;
  @Field(() => ConfidenceEnum)
  confidence: Confidence;
  @Field({ description: 'the county must decide: NOT_IN_LIST, a low-confidence match, or a cooperation asked by another than the lead' })
  needsDecision: boolean;
  @Field(() => Boolean, { nullable: true, description: 'IN_LIST_COOPERATE and RECLAIMED: whether the requester is the listed body' })
  requesterIsLead: boolean | null;
  @Field(() => [String], { description: 'why, in Chinese' })
  reasons: string[];
  @Field(() => [VerdictMatchModel], { description: 'the deciding item first' })
  matches: VerdictMatchModel[];

  townshipCode: string;
  versionIds: string[];
  draftVersionId: string | null;
}

@ObjectType('TaskRequest', { registerIn: () => AdminSchemaScope, description: '职责准入申请' })
export class TaskRequestModel {
  @Field(() => ID)
  id: string;
  @Field(() => RegionModel)
  county?: RegionModel;
  @Field(() => BodyModel)
  issuingBody?: BodyModel;
  @Field()
  title: string;
  @Field()
  content: string;
  @Field(() => LocalDateScalar)
  requestedStart: string;
  @Field(() => LocalDateScalar, { nullable: true })
  deadline: string | null;
  @Field(() => ReportingRequirementsModel)
  reporting: ReportingRequirementsModel;
  @Field(() => String, { nullable: true })
  claimedBasis: string | null;
  @Field(() => [String], { description: 'the claimed basis as parsed citations (labels)' })
  claimedCitations: string[];
  @Field(() => [String])
  attachmentNames: string[];
  @Field(() => [BurdenFlagModel])
  flags: BurdenFlagModel[];
  @Field(() => RequestStatusEnum)
  status: RequestStatus;
  @Field()
  submittedBy: string;
  @Field(() => GraphQLISODateTime)
  submittedAt: Date;
  @Field(() => DecisionEnum, { nullable: true })
  decision: Decision | null;
  @Field(() => String, { nullable: true })
  decisionReason: string | null;
  @Field(() => AdmissionConditionsModel, { nullable: true })
  conditions: AdmissionConditionsModel | null;
  @Field(() => String, { nullable: true })
  decidedBy: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true })
  decidedAt: Date | null;
  @Field(() => [TaskTargetModel])
  targets: TaskTargetModel[];

  countyCode: string;
  issuingBodyId: string;
}
