import { ArgsType, Field } from '@nestjs/graphql';
import type { ListKind } from '../lists/duty-list.entity.js';
import { ListKindEnum } from '../lists/list.model.js';

/** Two items of a county's townships, the arguments of linkMatterItems, unlinkMatterItems and clearMatterLink. */
@ArgsType()
export class MatterLinkArgs {
  @Field()
  countyCode: string;

  @Field(() => ListKindEnum)
  kind: ListKind;

  @Field()
  regionCodeA: string;

  @Field()
  itemCodeA: string;

  @Field()
  regionCodeB: string;

  @Field()
  itemCodeB: string;
}
