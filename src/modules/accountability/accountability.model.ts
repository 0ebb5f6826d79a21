import { Field, Float, ObjectType } from '@nestjs/graphql';
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
