import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';
import { ALERT_KIND_LABEL, ALERT_KINDS, ALERT_STATUSES, type AlertKind, type AlertStatus } from './basis-alert.entity.js';

export const BasisAlertKindEnum = Object.fromEntries(ALERT_KINDS.map((k) => [k, k])) as { [K in AlertKind]: K };
export const BasisAlertStatusEnum = Object.fromEntries(ALERT_STATUSES.map((k) => [k, k])) as { [K in AlertStatus]: K };
registerEnumType(BasisAlertKindEnum, {
  name: 'BasisAlertKind',
  description: ALERT_KINDS.map((k) => `${k} ${ALERT_KIND_LABEL[k]}`).join(' / '),
});
registerEnumType(BasisAlertStatusEnum, { name: 'BasisAlertStatus', description: 'OPEN 待处理 / CLOSED 已随新版本发布关闭 / DISMISSED 已忽略（有原因）' });

@ObjectType('BasisAlert', { registerIn: () => AdminSchemaScope, description: '依据变更提醒：清单事项引用的法律条文已修改、序号变动、删除或法规废止' })
export class BasisAlertModel {
  @Field(() => ID)
  id: string;
  @Field(() => BasisAlertKindEnum)
  kind: AlertKind;
  @Field(() => BasisAlertStatusEnum)
  status: AlertStatus;
  @Field()
  regionCode: string;
  @Field(() => ID)
  listId: string;
  @Field(() => ID, { description: '包含该事项的现行或待施行版本' })
  listVersionId: string;
  @Field()
  itemCode: string;
  @Field()
  itemName: string;
  @Field(() => Int)
  citationOrdinal: number;
  @Field({ description: '清单原文中的引用（按发布时的原文）' })
  citationRaw: string;
  @Field()
  citationLabel: string;
  @Field(() => String, { nullable: true, description: '清单所依据版本的条文' })
  oldText: string | null;
  @Field(() => String, { nullable: true, description: '新版本的条文（或废止说明）' })
  newText: string | null;
  @Field(() => String, { nullable: true, description: '建议的新引用' })
  proposedCitation: string | null;
  @Field(() => ID, { nullable: true })
  fromInstrumentVersionId: string | null;
  @Field(() => ID, { nullable: true })
  toInstrumentVersionId: string | null;
  @Field(() => ID, { nullable: true, description: '处理该提醒的草稿' })
  draftVersionId: string | null;
  @Field(() => String, { nullable: true })
  dismissReason: string | null;
  @Field(() => GraphQLISODateTime)
  createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true })
  closedAt: Date | null;
  @Field(() => String, { nullable: true })
  closedBy: string | null;
}
