import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService } from '../../auth/auth.service.js';
import { LoginThrottle } from '../../auth/login-throttle.js';
import { badInput, DomainError } from '../../common/domain-error.js';
import { errorAnswer, setErrorHeaders } from '../../common/error-response.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { ListReadService, readScopeFor } from '../../modules/lists/list-read.service.js';
import { ListVersionsService } from '../../modules/lists/list-versions.service.js';
import { BasisAlertsService } from '../../modules/basis-alerts/basis-alerts.service.js';
import { UsersService } from '../../auth/users.service.js';
import { countyOf } from '../../modules/regions/region-code.js';
import { RegionsService } from '../../modules/regions/regions.service.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { ConsoleErrorFilter, ConsoleGuard, ConsolePermission, ConsolePublic, safeNext, viewOf, type ConsoleRequest } from './console-access.js';
import { refusalOf } from './console-lists.controller.js';
import { Permission } from '../../auth/permissions.js';
import { ConsoleSessions, PRE_SESSION_COOKIE, readCookie, SESSION_COOKIE } from './console-session.js';
import { DashboardPage, PasswordPage, SignInPage, type TownshipSummary } from './console-home.pages.js';

const NO_STORE = { maxAgeSeconds: null };

/** Sign-in, sign-out and the dashboard of the county console. */
@Controller('console')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleErrorFilter)
export class ConsoleAuthController {
  constructor(
    private readonly assets: WebAssets,
    private readonly sessions: ConsoleSessions,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
    private readonly reads: ListReadService,
    private readonly regions: RegionsService,
    private readonly versions: ListVersionsService,
    private readonly alerts: BasisAlertsService,
    private readonly users: UsersService,
  ) {}

  @Get('sign-in')
  @ConsolePublic()
  signInForm(@Req() req: ConsoleRequest, @Res() res: Response, @Query('next') next: unknown, @Query('done') done: unknown) {
    if (req.consoleActor) return res.redirect(303, safeNext(next));
    sendPage(res, <SignInPage view={viewOf(this.assets, req)} next={safeNext(next)} done={typeof done === 'string' ? done : undefined} />, NO_STORE);
  }

  /** The API's login (AuthService) behind the same failed-login limit (LoginThrottle); a new session id each time. */
  @Post('sign-in')
  @ConsolePublic()
  async signIn(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    const username = String(body.username ?? '');
    const password = String(body.password ?? '');
    const next = safeNext(body.next);
    try {
      const { token, user } = await this.throttle.attempt(username, req.ip ?? 'unknown', () => this.auth.login(username, password));
      this.sessions.end(readCookie(req, SESSION_COOKIE));
      const session = this.sessions.create(token, user.username);
      this.sessions.setCookie(req, res, SESSION_COOKIE, session.id);
      this.sessions.clearCookie(req, res, PRE_SESSION_COOKIE);
      res.setHeader('Cache-Control', 'private, no-store');
      res.redirect(303, next);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const answer = errorAnswer(e);
      setErrorHeaders(res, answer);
      const page = <SignInPage view={viewOf(this.assets, req)} next={next} username={username} error={answer.message} />;
      sendPage(res, page, NO_STORE, answer.status);
    }
  }

  @Post('sign-out')
  signOut(@Req() req: ConsoleRequest, @Res() res: Response) {
    this.sessions.end(req.consoleSession?.id);
    this.sessions.clearCookie(req, res, SESSION_COOKIE);
    res.redirect(303, '/console/sign-in?done=signedOut');
  }

  @Get('password')
  @ConsolePermission(Permission.CHANGE_OWN_PASSWORD)
  passwordForm(@Req() req: ConsoleRequest, @Res() res: Response) {
    sendPage(res, <PasswordPage view={viewOf(this.assets, req)} />, NO_STORE);
  }

  /**
   * The user's own password, as the API's changePassword: the current one checked (a wrong one counts
   * as a failed login, LoginThrottle), the service's rules for the new one. The service ends every
   * token of the user, so this session goes on under a new one (a new session id), as the API
   * answers with a new token.
   */
  @Post('password')
  @ConsolePermission(Permission.CHANGE_OWN_PASSWORD)
  async changePassword(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    const actor = req.consoleActor!;
    const current = String(body.currentPassword ?? '');
    const next = String(body.newPassword ?? '');
    try {
      if (next !== String(body.confirmPassword ?? '')) throw badInput('confirmPassword', '两次输入的新密码不一致');
      const user = await this.throttle.attempt(actor.username ?? '', req.ip ?? 'unknown', () => this.users.changePassword(actor, current, next));
      this.sessions.end(req.consoleSession?.id);
      const session = this.sessions.create(this.auth.issueToken(user), user.username);
      this.sessions.setCookie(req, res, SESSION_COOKIE, session.id);
      res.redirect(303, '/console?done=passwordChanged');
    } catch (e) {
      const { errors, status } = refusalOf(res, e);
      // A wrong current password is UNAUTHENTICATED for the API: here it belongs next to that field.
      if (e instanceof DomainError && e.code === 'UNAUTHENTICATED') {
        delete errors[''];
        errors.currentPassword = e.message;
      }
      sendPage(res, <PasswordPage view={viewOf(this.assets, req)} errors={errors} />, NO_STORE, status);
    }
  }

  /**
   * The user's townships by scope: a county user's townships; the administrator's, for each county
   * with lists (or the county asked for). Per list: the version in force, the open version, recent publications.
   */
  @Get()
  async dashboard(@Req() req: ConsoleRequest, @Res() res: Response, @Query('region') regionParam: unknown, @Query('done') done: unknown) {
    const actor = req.consoleActor!;
    const scope = readScopeFor('admin', actor);
    let counties: string[];
    if (typeof regionParam === 'string' && regionParam) counties = [countyOf(this.regions.parseCode(regionParam, 'region'))];
    else if (actor.regionCode) counties = [actor.regionCode.endsWith('000000') ? actor.regionCode : countyOf(actor.regionCode)];
    else counties = await this.reads.countiesWithLists();
    const today = todayInChina();
    const sections: { county: { code: string; name: string }; townships: TownshipSummary[] }[] = [];
    for (const countyCode of counties.slice(0, 20)) {
      const county = await this.regions.requireRegion(countyCode, 'region');
      const ownTownship = actor.regionCode && !actor.regionCode.endsWith('000000') ? actor.regionCode : null;
      const townships = ownTownship
        ? [await this.regions.requireRegion(ownTownship, 'region')]
        : county.level === 'TOWNSHIP'
          ? [county]
          : await this.regions.listRegions(county.code, 'TOWNSHIP');
      const versions = await this.reads.versionsWithin(scope, ownTownship ?? county.code);
      sections.push({
        county: { code: county.code, name: county.name },
        townships: townships.map((t) => {
          const own = versions.filter((v) => v.regionCode === t.code);
          const lists = (['RESPONSIBILITY', 'POWER'] as const).map((kind) => {
            const ofKind = own.filter((v) => v.kind === kind);
            const inForce = ofKind.find((v) => ['PUBLISHED', 'SUPERSEDED'].includes(v.status) && v.effectiveFrom! <= today && (!v.effectiveTo || v.effectiveTo > today)) ?? null;
            const open = ofKind.find((v) => !['PUBLISHED', 'SUPERSEDED'].includes(v.status)) ?? null;
            const scheduled = ofKind.find((v) => v.status === 'PUBLISHED' && v.effectiveFrom! > today) ?? null;
            return { kind, inForce, open, scheduled, versions: ofKind.length, findings: null, openAlerts: 0 };
          });
          return { code: t.code, name: t.name, lists };
        }),
      });
    }
    // Warnings and alerts of every list shown, batched: the gate findings of the open versions, the open basis alerts per list.
    const lists = sections.flatMap((sec) => sec.townships.flatMap((t) => t.lists));
    const [findings, alertCounts] = await Promise.all([
      this.versions.gateFindingsOfOpen(lists.map((l) => l.open?.id).filter((id): id is string => !!id)),
      this.alerts.openCountsByList(actor, [...new Set(lists.map((l) => (l.open ?? l.inForce ?? l.scheduled)?.listId).filter((id): id is string => !!id))]),
    ]);
    for (const l of lists) {
      l.findings = l.open ? (findings.get(l.open.id) ?? null) : null;
      const listId = (l.open ?? l.inForce ?? l.scheduled)?.listId;
      l.openAlerts = listId ? (alertCounts.get(listId) ?? 0) : 0;
    }
    const recent = sections
      .flatMap((s) => s.townships.flatMap((t) => t.lists.flatMap((l) => [l.inForce, l.scheduled].filter((v) => !!v).map((v) => ({ township: t.name, version: v!, kind: l.kind })))))
      .sort((a, b) => String(b.version.effectiveFrom).localeCompare(String(a.version.effectiveFrom)))
      .slice(0, 8);
    sendPage(res, <DashboardPage view={viewOf(this.assets, req)} sections={sections} recent={recent} done={typeof done === 'string' ? done : undefined} />, NO_STORE);
  }
}
