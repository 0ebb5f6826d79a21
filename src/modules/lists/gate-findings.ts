import { normalizeName } from '../../common/text-input.js';
import type { ListSection } from './list-item.entity.js';

/**
 * The gates of the product's promise, one pure function for both paths: an import reports the
 * findings as warnings (the draft is still made), `submitForReview` refuses a draft with a finding
 * on an item for which the editor recorded no reason (`recordGateException`), and the reviewer sees
 * every finding with its reason (`ListVersion.gateFindings`).
 *
 * - NO_LEGAL_BASIS: the item cites nothing (an empty 实施依据); not asked of a reclaimed item
 *   (上级部门收回事项: the department that took it back acts on its own basis, and the published
 *   收回 tables carry no 依据 column).
 * - DUPLICATE_NAME: another item of the same part (section; a power list: the same 子项 too) has
 *   the same name, compared in NFKC without spaces.
 * - UNRESOLVED_CITATION: a citation that the legal catalogue does not resolve (unknown instrument,
 *   or an article that the instrument does not have).
 *
 * A finding **blocks** submission only when the draft adds or changes the item (for a duplicate
 * name: when it adds or changes one of the items of that name). Items the draft carries over
 * unchanged from the version in force were reviewed when it was published: their findings are
 * listed for the reviewer, `blocking: false`.
 */
export const GATE_KINDS = ['NO_LEGAL_BASIS', 'DUPLICATE_NAME', 'UNRESOLVED_CITATION'] as const;
export type GateKind = (typeof GATE_KINDS)[number];

export const GATE_LABEL: Record<GateKind, string> = {
  NO_LEGAL_BASIS: '无实施依据',
  DUPLICATE_NAME: '同一部分中事项名称重复',
  UNRESOLVED_CITATION: '依据无法在法规库中找到',
};

/** What the gates read of an item. */
export interface GateItem {
  itemCode: string;
  name: string;
  section: ListSection | null;
  subItem?: string | null;
  legalBasis: string | null;
  citations: readonly { raw: string; resolved: boolean }[];
  /** Carried over unchanged from the version in force (already reviewed). */
  carriedOver?: boolean;
}

export interface GateFinding {
  itemCode: string;
  name: string;
  kind: GateKind;
  /** In Chinese, for the clerk and the reviewer. */
  message: string;
  /** Whether it stops submitForReview until a reason is recorded (the draft adds or changes the item). */
  blocking: boolean;
}

/** A reason recorded by the editor for an item of a draft. */
export interface GateException {
  reason: string;
  by: string;
  at: string;
}

/** A finding as kept with a submitted version: with the reason that let it through. */
export interface StoredGateFinding extends GateFinding {
  exceptionReason: string | null;
}

const nameKey = (s: string) => normalizeName(s).replace(/\s+/g, '');
const SECTION_WORD: Record<ListSection, string> = { BASIC: '基本履职事项', COOPERATIVE: '配合履职事项', RECLAIMED: '上级部门收回事项' };

/** Every finding of the items, in item order (an item's findings in the order of GATE_KINDS). */
export function gateFindings(items: readonly GateItem[]): GateFinding[] {
  const groups = new Map<string, GateItem[]>();
  for (const item of items) {
    const key = `${item.section ?? ''}\u0000${nameKey(item.subItem ?? '')}\u0000${nameKey(item.name)}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const findings: GateFinding[] = [];
  for (const item of items) {
    const at = { itemCode: item.itemCode, name: item.name, blocking: !item.carriedOver };
    if (!item.legalBasis?.trim() && item.citations.length === 0 && item.section !== 'RECLAIMED')
      findings.push({ ...at, kind: 'NO_LEGAL_BASIS', message: `事项“${item.name}”（${item.itemCode}）没有实施依据` });
    const same = groups.get(`${item.section ?? ''}\u0000${nameKey(item.subItem ?? '')}\u0000${nameKey(item.name)}`)!;
    if (same.length > 1) {
      const others = same.filter((o) => o !== item).map((o) => o.itemCode);
      const part = item.section ? SECTION_WORD[item.section] : '本清单';
      findings.push({
        ...at, blocking: same.some((o) => !o.carriedOver),
        kind: 'DUPLICATE_NAME', message: `事项“${item.name}”（${item.itemCode}）与${part}中的 ${others.join('、')} 同名`,
      });
    }
    const unresolved = item.citations.filter((c) => !c.resolved);
    if (unresolved.length)
      findings.push({
        ...at,
        kind: 'UNRESOLVED_CITATION',
        message: `事项“${item.name}”（${item.itemCode}）的依据在法规库中找不到：${unresolved.map((c) => `“${c.raw}”`).join('、')}`,
      });
  }
  return findings;
}

/** The findings with the reasons recorded for their items; blockers are those without one. */
export function withExceptions(findings: readonly GateFinding[], exceptions: Readonly<Record<string, GateException>>): StoredGateFinding[] {
  return findings.map((f) => ({ ...f, exceptionReason: exceptions[f.itemCode]?.reason ?? null }));
}
