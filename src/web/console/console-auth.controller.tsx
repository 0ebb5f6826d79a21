import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService } from '../../auth/auth.service.js';
import { LoginThrottle } from '../../auth/login-throttle.js';
import { DomainError } from '../../common/domain-error.js';
import { errorAnswer, setErrorHeaders } from '../../common/error-response.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { ListReadService, readScopeFor } from '../../modules/lists/list-read.service.js';
import { countyOf } from '../../modules/regions/region-code.js';
import { RegionsService } from '../../modules/regions/regions.service.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { ConsoleErrorFilter, ConsoleGuard, ConsolePublic, safeNext, viewOf, type ConsoleRequest } from './console-access.js';
import { ConsoleSessions, PRE_SESSION_COOKIE, readCookie, SESSION_COOKIE } from './console-session.js';
import { DashboardPage, SignInPage, type TownshipSummary } from './console-home.pages.js';

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

  /**
   * The user's townships by scope: a county user's townships; the administrator's, for each county
   * with lists (or the county asked for). Per list: the version in force, the open version, recent publications.
   */
  @Get()
  async dashboard(@Req() req: ConsoleRequest, @Res() res: Response, @Query('region') regionParam: unknown) {
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
            return { kind, inForce, open, scheduled, versions: ofKind.length };
          });
          return { code: t.code, name: t.name, lists };
        }),
      });
    }
    const recent = sections
      .flatMap((s) => s.townships.flatMap((t) => t.lists.flatMap((l) => [l.inForce, l.scheduled].filter((v) => !!v).map((v) => ({ township: t.name, version: v!, kind: l.kind })))))
      .sort((a, b) => String(b.version.effectiveFrom).localeCompare(String(a.version.effectiveFrom)))
      .slice(0, 8);
    sendPage(res, <DashboardPage view={viewOf(this.assets, req)} sections={sections} recent={recent} />, NO_STORE);
  }
}
