import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFile, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { can } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import type { Role } from '../../auth/user.entity.js';
import { UsersService } from '../../auth/users.service.js';
import { DomainError, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { errorAnswer } from '../../common/error-response.js';
import { SynonymsService } from '../../modules/accountability/synonyms.service.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { BodiesService } from '../../modules/bodies/bodies.service.js';
import { ListReadService } from '../../modules/lists/list-read.service.js';
import { countyOf } from '../../modules/regions/region-code.js';
import { RegionsService } from '../../modules/regions/regions.service.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { ConsoleErrorFilter, ConsoleGuard, ConsolePermission, CsrfAfterUpload, viewOf, type ConsoleRequest } from './console-access.js';
import { BodiesImportService } from '../../modules/import-export/bodies-import.service.js';
import { BodyMergeService } from '../../modules/lists/body-merge.service.js';
import type { FormErrors } from './console-frame.js';
import { refusalOf } from './console-lists.controller.js';
import { AuditPage, BodiesPage, SynonymsPage, UserPage, UsersPage, type BodyImportReport } from './console-registry.pages.js';

const NO_STORE = { maxAgeSeconds: null };
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const doneOf = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Registries: users (UsersService), bodies (BodiesService), synonyms (SynonymsService), the audit trail (AuditService). */
@Controller('console')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleErrorFilter)
export class ConsoleRegistryController {
  constructor(
    private readonly assets: WebAssets,
    private readonly users: UsersService,
    private readonly bodies: BodiesService,
    private readonly regions: RegionsService,
    private readonly synonyms: SynonymsService,
    private readonly audit: AuditService,
    private readonly reads: ListReadService,
    private readonly bodyImports: BodiesImportService,
    private readonly merges: BodyMergeService,
    private readonly guard: ConsoleGuard,
  ) {}

  /** A refused form: its page again with the refusal next to the field, under the code's HTTP status. */
  private refusal(res: Response, e: unknown): { errors: FormErrors; status: number } {
    return refusalOf(res, e);
  }

  // ---------------------------------------------------------------- users

  @Get('users')
  @ConsolePermission(Permission.MANAGE_USERS)
  async usersPage(@Req() req: ConsoleRequest, @Res() res: Response, @Query('done') done: unknown) {
    sendPage(res, <UsersPage view={viewOf(this.assets, req)} users={await this.users.listUsers()} done={doneOf(done)} />, NO_STORE);
  }

  @Post('users')
  @ConsolePermission(Permission.MANAGE_USERS)
  async createUser(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    try {
      const user = await this.users.createUser(req.consoleActor!, { username: str(body.username), password: str(body.password), role: str(body.role) as Role, regionCode: str(body.regionCode) || null });
      res.redirect(303, `/console/users/${user.id}?done=userCreated`);
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      sendPage(res, <UsersPage view={viewOf(this.assets, req)} users={await this.users.listUsers()} errors={errors} values={{ username: str(body.username), role: str(body.role), regionCode: str(body.regionCode) }} />, NO_STORE, status);
    }
  }

  private async requireUser(id: string) {
    const user = isUuid(id) ? (await this.users.listUsers()).find((u) => u.id === id) : undefined;
    if (!user) throw notFound('未找到该用户');
    return user;
  }

  @Get('users/:id')
  @ConsolePermission(Permission.MANAGE_USERS)
  async userPage(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Query('done') done: unknown) {
    sendPage(res, <UserPage view={viewOf(this.assets, req)} user={await this.requireUser(id)} done={doneOf(done)} />, NO_STORE);
  }

  private async userAction(req: ConsoleRequest, res: Response, id: string, form: string, done: string, work: () => Promise<unknown>) {
    try {
      await work();
      res.redirect(303, `/console/users/${id}?done=${done}`);
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      sendPage(res, <UserPage view={viewOf(this.assets, req)} user={await this.requireUser(id)} form={form} errors={errors} />, NO_STORE, status);
    }
  }

  @Post('users/:id/update')
  @ConsolePermission(Permission.MANAGE_USERS)
  updateUser(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    return this.userAction(req, res, id, 'update', 'userUpdated', () => this.users.updateUser(req.consoleActor!, id, str(body.role) as Role, str(body.regionCode) || null));
  }

  @Post('users/:id/password')
  @ConsolePermission(Permission.MANAGE_USERS)
  resetPassword(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    return this.userAction(req, res, id, 'password', 'passwordReset', () => this.users.resetPassword(req.consoleActor!, id, str(body.newPassword)));
  }

  @Post('users/:id/disable')
  @ConsolePermission(Permission.MANAGE_USERS)
  disableUser(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string) {
    return this.userAction(req, res, id, 'state', 'userUpdated', () => this.users.disableUser(req.consoleActor!, id));
  }

  @Post('users/:id/enable')
  @ConsolePermission(Permission.MANAGE_USERS)
  enableUser(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string) {
    return this.userAction(req, res, id, 'state', 'userUpdated', () => this.users.enableUser(req.consoleActor!, id));
  }

  // ---------------------------------------------------------------- bodies

  /** The bodies of a county (the user's, or the one asked for): public data, as the `bodies` query. */
  private async bodiesRegion(req: ConsoleRequest, param: unknown) {
    let code = str(param);
    if (!code) code = req.consoleActor!.regionCode ?? (await this.reads.countiesWithLists())[0] ?? '';
    if (!code) return null;
    return this.regions.requireRegion(countyOf(this.regions.parseCode(code, 'region')), 'region');
  }

  private async renderBodies(
    req: ConsoleRequest,
    res: Response,
    regionParam: unknown,
    o: { done?: string; form?: string; errors?: FormErrors; values?: Record<string, string>; status?: number; report?: BodyImportReport },
  ) {
    const region = await this.bodiesRegion(req, regionParam);
    const bodies = region ? await this.bodies.listBodies(region.code) : [];
    const loaded = await this.bodies.createAliasLoader().loadMany(bodies.map((b) => b.id));
    const aliases = new Map(bodies.map((b, i) => [b.id, Array.isArray(loaded[i]) ? (loaded[i] as string[]) : []]));
    const shown = { code: region?.code ?? '', name: region?.name ?? '' };
    sendPage(res, <BodiesPage view={viewOf(this.assets, req)} region={shown} bodies={bodies} aliases={aliases} {...o} />, NO_STORE, o.status);
  }

  /** A county's catalogue from a file (importBodies: all or nothing), or only checked. */
  @Post('bodies/import')
  @ConsolePermission(Permission.MANAGE_COUNTY_BODIES)
  @CsrfAfterUpload()
  @UseInterceptors(FileInterceptor('file'))
  async importBodies(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>, @UploadedFile() file: { originalname: string; size: number; buffer: Buffer } | undefined) {
    this.guard.requireCsrf(req);
    const dryRun = body.dryRun === 'true';
    try {
      if (!file || !file.size) throw new DomainError('BAD_USER_INPUT', '请选择要导入的 .xlsx 或 .csv 文件', { field: 'file' });
      const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
      const outcome = await this.bodyImports.importBodies(req.consoleActor!, { fileName, content: file.buffer, dryRun });
      const region = outcome.bodies[0]?.regionCode.slice(0, 6) ?? '';
      await this.renderBodies(req, res, region, { form: 'import', report: { dryRun, ...outcome }, status: outcome.errors.length ? 422 : 200 });
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      await this.renderBodies(req, res, '', { form: 'import', errors, status });
    }
  }

  @Post('bodies/merge')
  @ConsolePermission(Permission.MANAGE_COUNTY_BODIES)
  async mergeBodies(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    try {
      const kept = await this.merges.mergeBodies(req.consoleActor!, str(body.keepId), str(body.mergeId), str(body.reason));
      res.redirect(303, `/console/bodies?region=${kept.regionCode.slice(0, 6)}&done=bodiesMerged`);
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      await this.renderBodies(req, res, '', { form: 'merge', errors, status });
    }
  }

  @Post('bodies/:id/aliases')
  @ConsolePermission(Permission.MANAGE_COUNTY_BODIES)
  async addAlias(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    try {
      const b = await this.bodies.addBodyAlias(req.consoleActor!, id, str(body.alias));
      res.redirect(303, `/console/bodies?region=${b.regionCode.slice(0, 6)}&done=aliasAdded`);
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      const msg = Object.values(errors).join('；');
      await this.renderBodies(req, res, '', { form: `alias:${id}`, errors: { alias: msg }, status });
    }
  }

  @Post('bodies/:id/aliases/remove')
  @ConsolePermission(Permission.MANAGE_COUNTY_BODIES)
  async removeAlias(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    try {
      const b = await this.bodies.removeBodyAlias(req.consoleActor!, id, str(body.alias));
      res.redirect(303, `/console/bodies?region=${b.regionCode.slice(0, 6)}&done=aliasRemoved`);
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      const msg = Object.values(errors).join('；');
      await this.renderBodies(req, res, '', { form: `alias:${id}`, errors: { alias: msg }, status });
    }
  }

  @Get('bodies')
  async bodiesPage(@Req() req: ConsoleRequest, @Res() res: Response, @Query('region') region: unknown, @Query('done') done: unknown) {
    await this.renderBodies(req, res, region, { done: doneOf(done) });
  }

  @Post('bodies')
  @ConsolePermission(Permission.MANAGE_BODIES)
  async createBody(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    try {
      const created = await this.bodies.createBody(req.consoleActor!, str(body.name), str(body.kind), str(body.regionCode));
      res.redirect(303, `/console/bodies?region=${created.regionCode.slice(0, 6)}&done=bodyCreated`);
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      let region = str(body.regionCode);
      if (!/^\d{6,12}$/.test(region)) region = '';
      await this.renderBodies(req, res, region, { form: 'create', errors, values: { name: str(body.name), kind: str(body.kind), regionCode: str(body.regionCode) }, status });
    }
  }

  @Post('bodies/:id/rename')
  @ConsolePermission(Permission.MANAGE_BODIES)
  async renameBody(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    try {
      const renamed = await this.bodies.renameBody(req.consoleActor!, id, str(body.name));
      res.redirect(303, `/console/bodies?region=${renamed.regionCode.slice(0, 6)}&done=bodyRenamed`);
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      await this.renderBodies(req, res, '', { form: `rename:${id}`, errors, status });
    }
  }

  // ---------------------------------------------------------------- synonyms

  @Get('synonyms')
  @ConsolePermission(Permission.MANAGE_CATALOGUE)
  async synonymsPage(@Req() req: ConsoleRequest, @Res() res: Response, @Query('done') done: unknown) {
    sendPage(res, <SynonymsPage view={viewOf(this.assets, req)} synonyms={await this.synonyms.list()} done={doneOf(done)} />, NO_STORE);
  }

  @Post('synonyms')
  @ConsolePermission(Permission.MANAGE_CATALOGUE)
  async saveSynonym(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    try {
      await this.synonyms.save(req.consoleActor!, str(body.term), str(body.expansions).split(/[、,，；;\s]+/));
      res.redirect(303, '/console/synonyms?done=synonymSaved');
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      sendPage(res, <SynonymsPage view={viewOf(this.assets, req)} synonyms={await this.synonyms.list()} errors={errors} values={{ term: str(body.term), expansions: str(body.expansions) }} />, NO_STORE, status);
    }
  }

  @Post('synonyms/remove')
  @ConsolePermission(Permission.MANAGE_CATALOGUE)
  async removeSynonym(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    try {
      await this.synonyms.remove(req.consoleActor!, str(body.term));
      res.redirect(303, '/console/synonyms?done=synonymRemoved');
    } catch (e) {
      const { errors, status } = this.refusal(res, e);
      sendPage(res, <SynonymsPage view={viewOf(this.assets, req)} synonyms={await this.synonyms.list()} errors={errors} />, NO_STORE, status);
    }
  }

  // ---------------------------------------------------------------- audit

  /** The trail of one object (region-scoped in AuditService.trail) and, on request, the whole chain verified with its head hash. */
  @Get('audit')
  @ConsolePermission(Permission.READ_AUDIT)
  async auditPage(@Req() req: ConsoleRequest, @Res() res: Response, @Query('type') typeParam: unknown, @Query('id') idParam: unknown, @Query('verify') verify: unknown) {
    const actor = req.consoleActor!;
    const type = str(typeParam) || 'ListVersion';
    const id = str(idParam).trim();
    let events = null;
    let error: string | undefined;
    let status = 200;
    if (id) {
      try {
        events = await this.audit.trail(actor, type, id);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        error = e.message;
        status = errorAnswer(e).status;
      }
    }
    const chain = verify === '1' && can(actor, Permission.READ_AUDIT) ? await this.audit.verify() : null;
    sendPage(res, <AuditPage view={viewOf(this.assets, req)} type={type} id={id} events={events} error={error} chain={chain} />, NO_STORE, status);
  }
}
