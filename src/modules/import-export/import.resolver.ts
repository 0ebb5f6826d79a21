import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { badInput } from '../../common/domain-error.js';
import type { ListKind } from '../lists/duty-list.entity.js';
import { ListKindEnum } from '../lists/list.model.js';
import { CHANGE_REASONS_TEXT } from '../lists/list-versions.service.js';
import { BodyImportReportModel, ImportReportModel } from './import.model.js';
import { BodiesImportService } from './bodies-import.service.js';
import { ImportService } from './import.service.js';
import { requireWithinSize } from './sheet-file.js';

// Whitespace is removed first: a pattern that allowed it both inside and after the data backtracked
// quadratically over a run of line breaks followed by a bad character.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `importList`: the GraphQL door onto the import, for small files sent inline as base64 (admin endpoint). */
@Resolver()
export class ImportAdminResolver {
  constructor(private readonly imports: ImportService) {}

  @Mutation(() => ImportReportModel, { description: '.csv or .xlsx, into a new draft, all or nothing (large files: POST /admin/imports)' })
  @RequirePermission(Permission.EDIT_LISTS)
  async importList(
    @Args('regionCode') regionCode: string,
    @Args('kind', { type: () => ListKindEnum }) kind: ListKind,
    @Args('fileName') fileName: string,
    @Args('contentBase64') contentBase64: string,
    @Args('changeReason', { type: () => String, nullable: true, description: `调整原因，取值之一：${CHANGE_REASONS_TEXT}（默认 其他）；自由文字请填 changeNote` }) changeReason: string | null,
    @Args('changeNote', { type: () => String, nullable: true, description: '调整说明（自由文字）' }) changeNote: string | null,
    @Args('dryRun', { type: () => Boolean, nullable: true, description: 'run the import and roll it back: the report says exactly what it would do' }) dryRun: boolean | null,
    @Args('replaceOpenDraft', { type: () => Boolean, nullable: true, description: 'discard the list\'s open (unpublished) version and replace it, in one transaction' }) replaceOpenDraft: boolean | null,
    @Args('allowMassRemoval', { type: () => Boolean, nullable: true, description: 'accept removing more than half of the items in force' }) allowMassRemoval: boolean | null,
    @Context() ctx: GraphQLRequestContext,
  ): Promise<ImportReportModel> {
    await this.imports.requireImporter(ctx.actor, regionCode, kind);
    // The limit is checked on the encoded length, before decoding.
    const base64 = contentBase64.replace(/\s+/g, '');
    requireWithinSize(Math.floor((base64.length * 3) / 4), this.imports.limits);
    if (!BASE64.test(base64)) throw badInput('contentBase64', 'contentBase64 不是有效的 base64 编码');
    return this.imports.importList(ctx.actor, {
      regionCode, kind, fileName, content: Buffer.from(base64, 'base64'), changeReason, changeNote,
      dryRun: !!dryRun, replaceOpenDraft: !!replaceOpenDraft, allowMassRemoval: !!allowMassRemoval,
    });
  }
}

/** `importBodies`: a county's catalogue of bodies from a .csv or .xlsx sent inline as base64 (admin endpoint). */
@Resolver()
export class BodiesImportAdminResolver {
  constructor(
    private readonly imports: ImportService,
    private readonly bodies: BodiesImportService,
  ) {}

  @Mutation(() => BodyImportReportModel, {
    description: '主体目录导入（.csv 或 .xlsx：主体名称、主体类型、区划代码，可选 别名），全部成功或全部不写入；已有的同名同类型同区划主体保持不变。ADMIN，或辖区内的 EDITOR',
  })
  @RequirePermission(Permission.MANAGE_COUNTY_BODIES)
  async importBodies(
    @Args('fileName') fileName: string,
    @Args('contentBase64') contentBase64: string,
    @Args('dryRun', { type: () => Boolean, nullable: true, description: 'validate only, write nothing' }) dryRun: boolean | null,
    @Context() ctx: GraphQLRequestContext,
  ): Promise<BodyImportReportModel> {
    const base64 = contentBase64.replace(/\s+/g, '');
    requireWithinSize(Math.floor((base64.length * 3) / 4), this.imports.limits);
    if (!BASE64.test(base64)) throw badInput('contentBase64', 'contentBase64 不是有效的 base64 编码');
    return this.bodies.importBodies(ctx.actor, { fileName, content: Buffer.from(base64, 'base64'), dryRun: dryRun ?? false });
  }
}
