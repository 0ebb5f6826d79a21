import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { regionPrefix } from '../../auth/actor.js';
import { BodiesService } from '../bodies/bodies.service.js';
import type { BodyEntity } from '../bodies/body.entity.js';
import { parseLegalBasis } from '../legal/citation-parser.js';
import { LegalService, type ResolvedCitation } from '../legal/legal.service.js';
import type { ListKind } from './duty-list.entity.js';
import {
  LIST_SECTIONS,
  POWER_CATEGORIES,
  POWER_SOURCES,
  type ListSection,
  type PowerCategory,
  type PowerSource,
  type StoredCooperation,
  type TownshipRole,
} from './list-item.entity.js';
import type { ListItemInput } from './list.model.js';
import { hasInvalidCharacters, normalizeName, textProblem, type TextKind } from '../../common/text-input.js';

/** An input field at fault and what to do about it (in Chinese, for the clerk). */
export interface FieldError {
  field: string;
  message: string;
}

/** A validated item, ready to be written as a row of a draft. */
export interface PreparedItem {
  itemCode: string;
  name: string;
  description: string | null;
  subItem: string | null;
  handlingUnit: string | null;
  section: ListSection | null;
  category: PowerCategory | null;
  source: PowerSource | null;
  accountableBodyId: string;
  townshipRole: TownshipRole;
  townshipDuty: string | null;
  villageDuty: string | null;
  cooperating: StoredCooperation[];
  legalBasis: string | null;
  citations: ResolvedCitation[];
  stagedDuties: string[];
  accountabilityCircumstances: string[];
  exemptions: string[];
  keywords: string[];
}

export type PreparedResult = { ok: true; item: PreparedItem } | { ok: false; errors: FieldError[] };

export const ITEM_CODE_RE = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,63}$/;
const LIMITS = { name: 200, text: 5000, listElements: 100, element: 2000, bodyName: 100 };

export const SECTION_ROLE: Record<ListSection, TownshipRole> = { BASIC: 'LEAD', COOPERATIVE: 'COOPERATE', RECLAIMED: 'RECLAIMED' };
const SECTION_LABEL: Record<ListSection, string> = { BASIC: '基本履职', COOPERATIVE: '配合履职', RECLAIMED: '上级部门收回' };

/**
 * The one validation of list items, used by `saveItem` and by spreadsheet import alike: every
 * problem of an item is reported with its field, and bodies and citations are resolved in batch.
 */
@Injectable()
export class ListItemPreparer {
  constructor(
    private readonly bodies: BodiesService,
    private readonly legal: LegalService,
  ) {}

  async prepare(
    inputs: ListItemInput[],
    list: { kind: ListKind; regionCode: string },
    asOf: string,
    em: EntityManager,
  ): Promise<PreparedResult[]> {
    const names = new Set<string>();
    for (const input of inputs) {
      if (typeof input.accountableBodyName === 'string') names.add(input.accountableBodyName.trim());
      for (const c of input.cooperating ?? []) if (typeof c?.bodyName === 'string') names.add(c.bodyName.trim());
    }
    // Names too long to be valid are refused by validate(); they need not travel to the database.
    const bodies = await this.bodies.findByNames(list.regionCode, [...names].filter((n) => n && n.length <= LIMITS.bodyName && !hasInvalidCharacters(n)), em);
    const parsed = inputs.map((i) => (typeof i.legalBasis === 'string' && i.legalBasis.length <= LIMITS.text ? parseLegalBasis(i.legalBasis) : []));
    const resolved = await this.legal.resolveCitations(parsed.flat(), asOf, em);
    let offset = 0;
    return inputs.map((input, index) => {
      const citations = resolved.slice(offset, offset + parsed[index].length);
      offset += parsed[index].length;
      return validate(input, list, bodies, citations);
    });
  }
}

function validate(input: ListItemInput, list: { kind: ListKind; regionCode: string }, bodies: Map<string, BodyEntity>, citations: ResolvedCitation[]): PreparedResult {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  // Lengths, invisible or invalid characters, markup and SQL fragments: see common/text-input.ts.
  const text = (field: string, value: unknown, max: number, required = false, kind: TextKind = 'text'): string | null => {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
      if (required) fail(field, '不能为空');
      return null;
    }
    if (typeof value !== 'string') return fail(field, '应为文本'), null;
    const trimmed = value.trim();
    const problem = textProblem(trimmed, { max, kind });
    if (problem) return fail(field, problem), null;
    return trimmed;
  };
  const list_ = (field: string, value: unknown): string[] => {
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) return fail(field, '应为文本列表'), [];
    if (value.length > LIMITS.listElements) return fail(field, `不能超过${LIMITS.listElements}项`), [];
    return value.map((v, i) => text(`${field}[${i}]`, v, LIMITS.element, true)).filter((v): v is string => !!v);
  };
  const inTownship = (body: BodyEntity) => body.regionCode.startsWith(regionPrefix(list.regionCode));

  const itemCode = text('itemCode', input.itemCode, 64, true, 'line');
  if (itemCode && !ITEM_CODE_RE.test(itemCode)) fail('itemCode', `事项编码“${itemCode}”格式不正确：只能含字母、数字和 - _ .，不超过64位`);
  const name = text('name', input.name, LIMITS.name, true, 'line');
  const description = text('description', input.description, LIMITS.text);
  const subItem = text('subItem', input.subItem, LIMITS.name, false, 'line');
  const handlingUnit = text('handlingUnit', input.handlingUnit, LIMITS.name, false, 'line');
  const townshipDuty = text('townshipDuty', input.townshipDuty, LIMITS.text);
  const villageDuty = text('villageDuty', input.villageDuty, LIMITS.text);
  const legalBasis = text('legalBasis', input.legalBasis, LIMITS.text);

  let section: ListSection | null = null;
  let category: PowerCategory | null = null;
  let source: PowerSource | null = null;
  if (list.kind === 'RESPONSIBILITY') {
    if (!input.section) fail('section', '责任清单事项必须注明清单部分（基本履职、配合履职或上级部门收回）');
    else if (!LIST_SECTIONS.includes(input.section)) fail('section', `清单部分“${input.section}”无效`);
    else section = input.section;
    if (input.category) fail('category', '权力类别只适用于权力清单');
    if (input.source) fail('source', '权力来源只适用于权力清单');
  } else {
    if (input.section) fail('section', '清单部分只适用于责任清单');
    if (!input.category) fail('category', '权力清单事项必须注明权力类别');
    else if (!POWER_CATEGORIES.includes(input.category)) fail('category', `权力类别“${input.category}”无效`);
    else category = input.category;
    if (!input.source) fail('source', '权力清单事项必须注明权力来源（法定、赋权或委托）');
    else if (!POWER_SOURCES.includes(input.source)) fail('source', `权力来源“${input.source}”无效`);
    else source = input.source;
  }

  const accountableName = text('accountableBodyName', input.accountableBodyName, LIMITS.bodyName, true, 'line');
  const accountable = accountableName ? bodies.get(normalizeName(accountableName)) : undefined;
  if (accountableName && !accountable) fail('accountableBodyName', `未找到主体“${accountableName}”，请先在主体目录中登记`);

  let townshipRole: TownshipRole = 'NONE';
  if (accountable) {
    const own = inTownship(accountable);
    if (section) {
      townshipRole = SECTION_ROLE[section];
      if (section === 'BASIC' && !own) fail('accountableBodyName', `基本履职事项的责任主体应为本乡镇的主体，“${accountable.name}”不是`);
      if (section !== 'BASIC' && own) fail('accountableBodyName', `${SECTION_LABEL[section]}事项的责任主体应为牵头或收回的上级部门，不能是本乡镇的“${accountable.name}”`);
    } else if (source) {
      townshipRole = own ? 'LEAD' : 'COOPERATE';
      if (source === 'ENTRUSTED' && own) fail('accountableBodyName', '委托事项的实施主体应为委托的上级部门');
      if (source !== 'ENTRUSTED' && !own) fail('accountableBodyName', `法定或赋权事项的实施主体应为本乡镇的主体，“${accountable.name}”不是`);
    }
  }

  const cooperating: StoredCooperation[] = [];
  if (input.cooperating !== null && input.cooperating !== undefined) {
    if (!Array.isArray(input.cooperating) || input.cooperating.length > LIMITS.listElements) fail('cooperating', `配合部门应为不超过${LIMITS.listElements}项的列表`);
    else
      input.cooperating.forEach((c, i) => {
        const bodyName = text(`cooperating[${i}].bodyName`, c?.bodyName, LIMITS.bodyName, true, 'line');
        const duty = text(`cooperating[${i}].duty`, c?.duty, LIMITS.text, true);
        const body = bodyName ? bodies.get(normalizeName(bodyName)) : undefined;
        if (bodyName && !body) fail(`cooperating[${i}].bodyName`, `未找到配合主体“${bodyName}”，请先在主体目录中登记`);
        else if (body && accountable && body.id === accountable.id) fail(`cooperating[${i}].bodyName`, '配合主体不能与责任主体相同');
        else if (body && cooperating.some((x) => x.bodyId === body.id)) fail(`cooperating[${i}].bodyName`, `配合主体“${bodyName}”重复`);
        else if (body && duty) cooperating.push({ bodyId: body.id, duty });
      });
  }

  const stagedDuties = list_('stagedDuties', input.stagedDuties);
  const accountabilityCircumstances = list_('accountabilityCircumstances', input.accountabilityCircumstances);
  const exemptions = list_('exemptions', input.exemptions);
  const keywords = list_('keywords', input.keywords);

  if (errors.length || !itemCode || !name || !accountable) return { ok: false, errors };
  return {
    ok: true,
    item: {
      itemCode, name, description, subItem, handlingUnit, section, category, source,
      accountableBodyId: accountable.id, townshipRole, townshipDuty, villageDuty, cooperating,
      legalBasis, citations, stagedDuties, accountabilityCircumstances, exemptions, keywords,
    },
  };
}
