import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BodiesService } from '../bodies/bodies.service.js';
import type { BodyEntity } from '../bodies/body.entity.js';
import { parseLegalBasis, type ParsedCitation } from '../legal/citation-parser.js';
import { LegalService, type ResolvedCitation } from '../legal/legal.service.js';
import { normalizeName } from '../../common/text-input.js';
import { regionPrefix } from '../regions/region-code.js';
import type { ListKind } from './duty-list.entity.js';
import { ACCOUNTABLE_BODY, belongsTo, bodyNamesOf, CONTENT_FIELDS, ITEM_CODE, ITEM_LIMITS, SECTION_LABEL, type ItemContent, type PrepareContext } from './item-fields.js';
import type { ListSection, TownshipRole } from './list-item.entity.js';
import type { ListItemInput } from './list.model.js';

/** An input field at fault and what to do about it (in Chinese, for the clerk). */
export interface FieldError {
  field: string;
  message: string;
}

/** A validated item, ready to be written as a row of a draft: its content and its resolved citations. */
export type PreparedItem = ItemContent & { itemCode: string; citations: ResolvedCitation[] };

export type PreparedResult = { ok: true; item: PreparedItem } | { ok: false; errors: FieldError[] };

export const ITEM_CODE_RE = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,63}$/;

export const SECTION_ROLE: Record<ListSection, TownshipRole> = { BASIC: 'LEAD', COOPERATIVE: 'COOPERATE', RECLAIMED: 'RECLAIMED' };

/**
 * The one validation of list items, used by `saveItem`, spreadsheet import and the demo data alike:
 * every field is checked as its description says (item-fields.ts), every problem of an item is
 * reported with its field, and bodies and citations are resolved in batch. Then the rules between
 * fields: the accountable body against the list's part, and the township's role.
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
    const names = new Set(inputs.flatMap((i) => bodyNamesOf(i as unknown as Record<string, unknown>)));
    const bodies = await this.bodies.findByNames(list.regionCode, [...names], em);
    const unknown = [...names].filter((n) => !bodies.has(normalizeName(n)));
    const suggestions = await this.bodies.suggestFor(list.regionCode, unknown, em);
    // Lists repeat their legal bases: each distinct text is parsed once.
    const parsedBasis = new Map<string, ParsedCitation[]>();
    const parse = (basis: string) => parsedBasis.get(basis) ?? parsedBasis.set(basis, parseLegalBasis(basis)).get(basis)!;
    const parsed = inputs.map((i) => (typeof i.legalBasis === 'string' && i.legalBasis.length <= ITEM_LIMITS.text ? parse(i.legalBasis) : []));
    const resolved = await this.legal.resolveCitations(parsed.flat(), asOf, em);
    let offset = 0;
    return inputs.map((input, index) => {
      const citations = resolved.slice(offset, offset + parsed[index].length);
      offset += parsed[index].length;
      return validate(input, list, bodies, citations, suggestions);
    });
  }
}

function validate(
  input: ListItemInput,
  list: { kind: ListKind; regionCode: string },
  bodies: Map<string, BodyEntity>,
  citations: ResolvedCitation[],
  suggestions: ReadonlyMap<string, readonly string[]>,
): PreparedResult {
  const errors: FieldError[] = [];
  const ctx: PrepareContext = { bodies, suggestions, resolvedBodies: new Map(), fail: (field, message) => errors.push({ field, message }) };
  const given = input as unknown as Record<string, unknown>;
  const present = (v: unknown) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

  const itemCode = ITEM_CODE.codec.prepare(given.itemCode, ITEM_CODE, ctx);
  if (itemCode && !ITEM_CODE_RE.test(itemCode)) ctx.fail('itemCode', `事项编码“${itemCode}”格式不正确：只能含字母、数字和 - _ .，不超过64位`);

  const content: Record<string, unknown> = {};
  let complete = true;
  for (const f of CONTENT_FIELDS) {
    if (!f.inputKey) continue; // derived below
    const value = given[f.inputKey];
    if (!belongsTo(f, list.kind) && (f.elsewhereMessage || f.requiredMessage)) {
      // A field of the other kind of list: refused when it says so, never stored.
      if (present(value) && f.elsewhereMessage) ctx.fail(f.inputKey, f.elsewhereMessage);
      content[f.key] = f.codec.fromRow(null);
      continue;
    }
    if (!present(value) && f.requiredMessage) {
      ctx.fail(f.inputKey, f.requiredMessage);
      complete = false;
      continue;
    }
    const prepared = f.codec.prepare(value, f, ctx);
    if (prepared === undefined) complete = false;
    content[f.key] = prepared;
  }

  const section = content.section as ListSection | null;
  const accountable = ctx.resolvedBodies.get(ACCOUNTABLE_BODY.key);
  let townshipRole: TownshipRole = 'NONE';
  if (accountable) {
    const own = accountable.regionCode.startsWith(regionPrefix(list.regionCode));
    const source = content.source;
    if (section) {
      townshipRole = SECTION_ROLE[section];
      if (section === 'BASIC' && !own) ctx.fail('accountableBodyName', `基本履职事项的责任主体应为本乡镇的主体，“${accountable.name}”不是`);
      if (section !== 'BASIC' && own) ctx.fail('accountableBodyName', `${SECTION_LABEL[section]}事项的责任主体应为牵头或收回的上级部门，不能是本乡镇的“${accountable.name}”`);
    } else if (source) {
      townshipRole = own ? 'LEAD' : 'COOPERATE';
      if (source === 'ENTRUSTED' && own) ctx.fail('accountableBodyName', '委托事项的实施主体应为委托的上级部门');
      if (source !== 'ENTRUSTED' && !own) ctx.fail('accountableBodyName', `法定或赋权事项的实施主体应为本乡镇的主体，“${accountable.name}”不是`);
    }
  }
  content.townshipRole = townshipRole;

  if (errors.length || !complete || !itemCode) return { ok: false, errors };
  return { ok: true, item: { ...(content as ItemContent), itemCode, citations } };
}
