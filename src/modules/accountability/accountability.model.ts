import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';
import { LocalDateScalar } from '../../common/local-date.scalar.js';
import { BodyModel } from '../bodies/body.model.js';
import { CitationModel, CooperatingDutyModel, ListItemModel, ListVersionModel, TownshipRoleEnum } from '../lists/list.model.js';
import { RegionModel } from '../regions/region.model.js';
import type { TownshipRole } from '../lists/list-item.entity.js';

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
  @Field(() => [String], { description: 'how the question was understood (segmented, synonyms applied)' })
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
