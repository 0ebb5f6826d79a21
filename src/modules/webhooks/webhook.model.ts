import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';

@ObjectType('Webhook', { registerIn: () => AdminSchemaScope, description: '县级订阅：本县各乡镇每次发布清单时推送通知' })
export class WebhookModel {
  @Field(() => ID)
  id: string;
  @Field()
  countyCode: string;
  @Field()
  url: string;
  @Field(() => String, { nullable: true })
  description: string | null;
  @Field()
  active: boolean;
  @Field()
  createdBy: string;
  @Field()
  createdAt: Date;
}

@ObjectType('WebhookRegistration', { registerIn: () => AdminSchemaScope })
export class WebhookRegistrationModel {
  @Field(() => WebhookModel)
  webhook: WebhookModel;
  @Field({ description: 'HMAC-SHA256 签名密钥，只显示这一次，请妥善保存' })
  secret: string;
}

@ObjectType('WebhookAttempt', { registerIn: () => AdminSchemaScope })
export class WebhookAttemptModel {
  @Field(() => Int)
  attempt: number;
  @Field()
  at: Date;
  @Field(() => Int, { nullable: true })
  httpStatus: number | null;
  @Field(() => String, { nullable: true })
  error: string | null;
  @Field(() => Int)
  durationMs: number;
}

@ObjectType('WebhookDelivery', { registerIn: () => AdminSchemaScope, description: '一次推送及其各次尝试（投递日志）' })
export class WebhookDeliveryModel {
  @Field(() => ID)
  id: string;
  @Field()
  event: string;
  @Field({ description: 'PENDING, DELIVERED or FAILED' })
  status: string;
  @Field(() => Int)
  attempts: number;
  @Field(() => Date, { nullable: true })
  nextAttemptAt: Date | null;
  @Field()
  createdAt: Date;
  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;
  @Field({ description: 'the JSON body sent' })
  payload: string;
  @Field(() => [WebhookAttemptModel])
  log: WebhookAttemptModel[];
}
