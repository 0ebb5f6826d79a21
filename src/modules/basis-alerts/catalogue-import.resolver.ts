import { Args, Context, Field, InputType, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';
import { badInput } from '../../common/domain-error.js';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { ImportService } from '../import-export/import.service.js';
import { requireWithinSize } from '../import-export/sheet-file.js';
import { CatalogueImportService, MAX_CATALOGUE_FILES } from './catalogue-import.service.js';

// Whitespace is removed before the test (a pattern allowing it inside and after the data backtracks).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

@InputType('CatalogueFileInput', { registerIn: () => AdminSchemaScope })
export class CatalogueFileInput {
  @Field({ description: '文件名（.csv 或 .xlsx）；CSV 的问题以文件名指明位置' })
  fileName: string;
  @Field({ description: '文件内容，base64（大文件请用 POST /admin/imports/legal-catalogue）' })
  contentBase64: string;
}

@ObjectType('CatalogueImportProblem', { registerIn: () => AdminSchemaScope, description: '法规目录文件的问题：工作表（或 CSV 文件名）、行、列' })
export class CatalogueImportProblemModel {
  @Field(() => String, { nullable: true })
  sheet: string | null;
  @Field(() => Int)
  row: number;
  @Field(() => String, { nullable: true, description: '列名，如「新施行日期」' })
  column: string | null;
  @Field()
  message: string;
}

@ObjectType('CatalogueImportReport', { registerIn: () => AdminSchemaScope })
export class CatalogueImportReportModel {
  @Field({ description: 'true：试导入，所做的一切已回滚' })
  dryRun: boolean;
  @Field(() => [CatalogueImportProblemModel], { description: '每一处问题；有问题时什么也没有写入' })
  errors: CatalogueImportProblemModel[];
  @Field(() => Int, { nullable: true, description: '涉及的法规数' })
  instruments: number | null;
  @Field(() => Int, { nullable: true })
  provisions: number | null;
  @Field(() => Int, { nullable: true, description: '条文对照行数' })
  crosswalk: number | null;
  @Field(() => Int, { nullable: true })
  repeals: number | null;
  @Field(() => Int, { nullable: true, description: '解析结果因此改变的引用数' })
  citationsReresolved: number | null;
  @Field(() => Int, { nullable: true, description: '导入后未处理的依据变更提醒数' })
  alertsOpen: number | null;
  @Field(() => Int, { nullable: true })
  alertsCreated: number | null;
  @Field(() => Int, { nullable: true })
  alertsClosed: number | null;
}

/** `importLegalCatalogue`: the catalogue upload on /admin/graphql, for files small enough to send inline. */
@Resolver()
export class CatalogueImportResolver {
  constructor(
    private readonly catalogue: CatalogueImportService,
    private readonly imports: ImportService,
  ) {}

  @Mutation(() => CatalogueImportReportModel, {
    description: `导入法规目录（docs/legal-catalogue.md：条文、条文对照、废止表，CSV 或 xlsx，最多${MAX_CATALOGUE_FILES}个文件），全部成功或全部不写入；随后重新解析引用并重新查找依据变更提醒。dryRun：只检查`,
  })
  @RequirePermission(Permission.MANAGE_CATALOGUE)
  async importLegalCatalogue(
    @Args('files', { type: () => [CatalogueFileInput] }) files: CatalogueFileInput[],
    @Args('dryRun', { type: () => Boolean, nullable: true }) dryRun: boolean | null,
    @Context() ctx: GraphQLRequestContext,
  ): Promise<CatalogueImportReportModel> {
    if (files.length > MAX_CATALOGUE_FILES) throw badInput('files', `一次最多导入${MAX_CATALOGUE_FILES}个文件`);
    const decoded = files.map((f, i) => {
      // The limit is checked on the encoded length, before decoding.
      const base64 = f.contentBase64.replace(/\s+/g, '');
      requireWithinSize(Math.floor((base64.length * 3) / 4), this.imports.limits);
      if (!BASE64.test(base64)) throw badInput(`files[${i}].contentBase64`, `第${i + 1}个文件的 contentBase64 不是有效的 base64 编码`);
      return { fileName: f.fileName, content: Buffer.from(base64, 'base64') };
    });
    const report = await this.catalogue.importFiles(ctx.actor, decoded, { dryRun: !!dryRun });
    const r = report.result;
    return {
      dryRun: report.dryRun, errors: report.errors,
      instruments: r?.instruments ?? null, provisions: r?.provisions ?? null, crosswalk: r?.crosswalk ?? null, repeals: r?.repeals ?? null,
      citationsReresolved: r?.citationsReresolved ?? null,
      alertsOpen: report.alerts?.open ?? null, alertsCreated: report.alerts?.created ?? null, alertsClosed: report.alerts?.closed ?? null,
    };
  }
}
