import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Permission } from '../../auth/permissions.js';
import { RequirePermission } from '../../auth/require-permission.decorator.js';
import { badInput } from '../../common/domain-error.js';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import { LocalDateScalar, parseLocalDate, todayInChina } from '../../common/local-date.scalar.js';
import { clauseLabel } from './crosswalk.js';
import { InstrumentVersionModel, LegalInstrumentModel, ProvisionCrosswalkModel, ProvisionModel } from './legal.model.js';
import { LegalService } from './legal.service.js';
import type { ProvisionEntity } from './provision.entity.js';

const MAX_INSTRUMENTS = 200;
/** `first` of legalInstruments when none is given. */
export const DEFAULT_INSTRUMENTS = 20;

export const toProvisionModel = (p: ProvisionEntity): ProvisionModel => ({ ...p, label: clauseLabel(p.article, p.paragraph, p.item) });

/** The legal catalogue, public on both endpoints (it is public law). */
@Resolver(() => LegalInstrumentModel)
export class LegalInstrumentsResolver {
  constructor(private readonly legal: LegalService) {}

  @Query(() => [LegalInstrumentModel], { description: '法规目录：标题或简称包含 search 的法律法规（不给则全部），按标题排序' })
  @RequirePermission(Permission.READ_PUBLISHED)
  legalInstruments(
    @Args('search', { type: () => String, nullable: true }) search: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_INSTRUMENTS }) first: number,
  ) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_INSTRUMENTS) throw badInput('first', `first 应为1至${MAX_INSTRUMENTS}之间的整数`);
    if (search && search.length > 100) throw badInput('search', '检索词不能超过100个字符');
    return this.legal.searchInstruments(search, first);
  }

  @Query(() => LegalInstrumentModel, { nullable: true })
  @RequirePermission(Permission.READ_PUBLISHED)
  legalInstrument(@Args('id', { type: () => ID }) id: string) {
    return this.legal.instrument(id);
  }

  @Query(() => ProvisionModel, {
    nullable: true,
    description: '某法规（全称或简称）在 asOf（默认今天）施行的版本中的条款；无该款项时给出包含它的款或条；目录中没有则为 null',
  })
  @RequirePermission(Permission.READ_PUBLISHED)
  async provision(
    @Args('instrument') instrument: string,
    @Args('article', { type: () => Int }) article: number,
    @Args('paragraph', { type: () => Int, nullable: true }) paragraph: number | null,
    @Args('item', { type: () => Int, nullable: true }) item: number | null,
    @Args('asOf', { type: () => LocalDateScalar, nullable: true }) asOf: string | null,
  ) {
    const date = asOf ?? todayInChina();
    if (!parseLocalDate(date)) throw badInput('asOf', `日期“${date}”无效`);
    if (instrument.length > 200) throw badInput('instrument', '法规名称不能超过200个字符');
    const found = await this.legal.provision(instrument, article, paragraph ?? null, item ?? null, date);
    return found ? toProvisionModel(found.provision) : null;
  }

  @ResolveField(() => [InstrumentVersionModel], { description: '各版本，按施行日期由旧到新' })
  versions(@Parent() instrument: LegalInstrumentModel, @Context() ctx: GraphQLRequestContext) {
    return ctx.loaders.get('legalVersions', () => this.legal.createVersionsLoader()).load(instrument.id);
  }

  @ResolveField(() => LegalInstrumentModel, { nullable: true, description: '废止后替代它的法规' })
  successor(@Parent() instrument: LegalInstrumentModel, @Context() ctx: GraphQLRequestContext) {
    return instrument.successorId ? ctx.loaders.get('legalInstrument', () => this.legal.createInstrumentLoader()).load(instrument.successorId) : null;
  }
}

@Resolver(() => InstrumentVersionModel)
export class InstrumentVersionResolver {
  constructor(private readonly legal: LegalService) {}

  @ResolveField(() => [ProvisionModel], { description: '目录中收录的条款（不一定是全文）' })
  async provisions(@Parent() version: InstrumentVersionModel, @Context() ctx: GraphQLRequestContext) {
    const rows = await ctx.loaders.get('legalProvisions', () => this.legal.createProvisionsLoader()).load(version.id);
    return rows.map(toProvisionModel);
  }

  @ResolveField(() => [ProvisionCrosswalkModel], { description: '本版本到下一版本的条文对照' })
  async crosswalk(@Parent() version: InstrumentVersionModel, @Context() ctx: GraphQLRequestContext): Promise<ProvisionCrosswalkModel[]> {
    const rows = await ctx.loaders.get('legalCrosswalk', () => this.legal.createCrosswalkLoader()).load(version.id);
    return rows.map((x) => ({
      from: clauseLabel(x.fromArticle, x.fromParagraph),
      to: x.toArticle === null ? null : clauseLabel(x.toArticle, x.toParagraph),
      toVersionId: x.toVersionId,
      change: x.change,
      source: x.source,
      verified: x.verified,
    }));
  }
}
