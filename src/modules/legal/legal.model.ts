import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { LocalDateScalar } from '../../common/local-date.scalar.js';

@ObjectType('Provision', { description: '条款：某一版本法律法规的条、款或项及其条文' })
export class ProvisionModel {
  @Field(() => ID)
  id: string;
  @Field(() => ID)
  instrumentVersionId: string;
  @Field(() => Int)
  article: number;
  @Field(() => Int, { nullable: true })
  paragraph: number | null;
  @Field(() => Int, { nullable: true })
  item: number | null;
  @Field({ description: '第N条第M款第（K）项' })
  label: string;
  @Field()
  text: string;
}

@ObjectType('ProvisionCrosswalk', { description: '条文对照：本版本的条款在下一版本中的位置' })
export class ProvisionCrosswalkModel {
  @Field()
  from: string;
  @Field(() => String, { nullable: true, description: 'null: 删除' })
  to: string | null;
  @Field(() => ID)
  toVersionId: string;
  @Field({ description: 'MOVED 移动 / MERGED 合并 / SPLIT 拆分 / DELETED 删除' })
  change: string;
  @Field(() => String, { nullable: true })
  source: string | null;
  @Field({ description: 'false: 编号未经官方文本核实' })
  verified: boolean;
}

@ObjectType('InstrumentVersion', { description: '法律法规的一个施行版本' })
export class InstrumentVersionModel {
  @Field(() => ID)
  id: string;
  @Field(() => ID)
  instrumentId: string;
  @Field(() => LocalDateScalar, { nullable: true })
  effectiveFrom: string | null;
  @Field(() => String, { nullable: true })
  docNumber: string | null;
  @Field(() => String, { nullable: true })
  enactingOrgan: string | null;
}

@ObjectType('LegalInstrument', { description: '法律法规（各版本之上的同一部法）' })
export class LegalInstrumentModel {
  @Field(() => ID)
  id: string;
  @Field()
  title: string;
  @Field(() => String, { nullable: true })
  shortTitle: string | null;
  @Field()
  rank: string;
  @Field(() => LocalDateScalar, { nullable: true, description: '废止日期' })
  repealedOn: string | null;
  successorId: string | null;
}
