import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';
import { LocalDateScalar } from '../../common/local-date.scalar.js';
import { BodyModel } from '../bodies/body.model.js';
import { CitationModel, CooperatingDutyModel, ListItemModel, ListVersionModel, TownshipRoleEnum } from '../lists/list.model.js';
import { RegionModel } from '../regions/region.model.js';
import type { TownshipRole } from '../lists/list-item.entity.js';
import type { QuestionIntent } from './question-analyzer.js';

export const QuestionIntentEnum = { WHO_IS_ACCOUNTABLE: 'WHO_IS_ACCOUNTABLE', DUTY_CHECK: 'DUTY_CHECK' } as const;
registerEnumType(QuestionIntentEnum, {
  name: 'QuestionIntent',
  description: '问题的意图：问某事归谁管（WHO_IS_ACCOUNTABLE），或乡镇问本级有没有这项职责（DUTY_CHECK：本级牵头或配合的事项排在上级收回事项之前）',
});

@ObjectType('AccountabilityAnswer')
export class AccountabilityAnswerModel {
  @Field(() => ListItemModel)
  item: ListItemModel;
  @Field(() => ListVersionModel, { description: 'the list version the answer comes from' })
  version: ListVersionModel;
  @Field(() => RegionModel, { description: 'the township whose list holds the item' })
  township?: RegionModel;
  @Field(() => TownshipRoleEnum)
  townshipRole: TownshipRole;
  @Field(() => BodyModel)
  accountableBody?: BodyModel;
  @Field(() => [CooperatingDutyModel])
  cooperating: CooperatingDutyModel[];
  @Field(() => String, { nullable: true })
  villageDuty: string | null;
  @Field(() => [CitationModel])
  citations?: CitationModel[];
  @Field(() => Float)
  score: number;
  @Field(() => [String], { description: 'the terms of the question this item matched' })
  matchedTerms: string[];

  itemId: string;
  accountableBodyId: string;
  townshipCode: string;
}

/** Why an answer is empty: no list in force on that date; the matter was removed from the list; nothing matches. */
export const EMPTY_REASONS = ['NO_LIST_IN_FORCE', 'REMOVED_IN_VERSION', 'NO_MATCH'] as const;
export type EmptyReason = (typeof EMPTY_REASONS)[number];
export const EmptyReasonEnum = Object.fromEntries(EMPTY_REASONS.map((r) => [r, r])) as { [K in EmptyReason]: K };
registerEnumType(EmptyReasonEnum, {
  name: 'EmptyAnswerReason',
  description: 'NO_LIST_IN_FORCE 该日没有现行有效的清单 / REMOVED_IN_VERSION 事项已被某版本从清单中删除（见 removedIn）/ NO_MATCH 清单中没有相符的事项',
});

@ObjectType('AccountabilityResult')
export class AccountabilityResultModel {
  @Field()
  question: string;
  @Field()
  regionCode: string;
  @Field(() => LocalDateScalar)
  asOf: string;
  @Field(() => QuestionIntentEnum, { description: 'what the question asks: who is accountable, or whether the township has the duty' })
  intent: QuestionIntent;
  @Field(() => [String], { description: 'how the question was understood (segmented, synonyms and the concept lexicon applied)' })
  terms: string[];
  @Field(() => [AccountabilityAnswerModel])
  answers: AccountabilityAnswerModel[];
  @Field(() => EmptyReasonEnum, { nullable: true, description: 'why there are no answers; null when there are' })
  emptyReason: EmptyReason | null;
  @Field(() => ListVersionModel, { nullable: true, description: 'REMOVED_IN_VERSION: the version that took the matching matter off the list' })
  removedIn: ListVersionModel | null;
  @Field(() => ListItemModel, { nullable: true, description: 'REMOVED_IN_VERSION: the matter as it stood before its removal' })
  removedItem: ListItemModel | null;
}

@ObjectType('SearchSynonym', { registerIn: () => AdminSchemaScope })
export class SearchSynonymModel {
  @Field()
  term: string;
  @Field(() => [String])
  expansions: string[];
  @Field()
  updatedBy: string;
}

export const QueueReasonEnum = { NO_ANSWER: 'NO_ANSWER', LOW_CONFIDENCE: 'LOW_CONFIDENCE', MARKED_WRONG: 'MARKED_WRONG' } as const;
registerEnumType(QueueReasonEnum, { name: 'QueueReason', description: '进入待处理队列的原因：无答复、答复置信度低、群众反馈答错' });
export const QuestionMappingEnum = { ITEM_ALIAS: 'ITEM_ALIAS', SYNONYM: 'SYNONYM' } as const;
registerEnumType(QuestionMappingEnum, {
  name: 'QuestionMapping',
  description: 'ITEM_ALIAS：把问法加为该事项的常见问法（写入清单草稿，随下一版本发布）；SYNONYM：加为同义词（立即生效，适用于所有地区，仅系统管理员）',
});

@ObjectType('QueuedQuestion', { registerIn: () => AdminSchemaScope })
export class QueuedQuestionModel {
  @Field({ description: 'the latest log entry of this question (for mapQuestion)' })
  id: string;
  @Field()
  question: string;
  @Field()
  regionCode: string;
  @Field(() => Int)
  timesAsked: number;
  @Field(() => LocalDateScalar)
  lastAskedOn: string;
  @Field(() => Int)
  resultCount: number;
  @Field(() => String, { nullable: true })
  topItemCode: string | null;
  @Field(() => String, { nullable: true })
  topItemName: string | null;
  @Field(() => Float, { nullable: true })
  topScore: number | null;
  @Field(() => Int, { description: '“答错了” from the portal' })
  notHelpful: number;
  @Field(() => Int)
  helpful: number;
  @Field(() => QueueReasonEnum)
  reason: string;
}

@ObjectType('QuestionMapped', { registerIn: () => AdminSchemaScope })
export class QuestionMappedModel {
  @Field()
  questionId: string;
  @Field()
  question: string;
  @Field(() => QuestionMappingEnum)
  as: string;
  @Field()
  itemCode: string;
  @Field()
  phrase: string;
  @Field(() => String, { nullable: true, description: 'the draft that now holds the alias (ITEM_ALIAS)' })
  versionId: string | null;
}
