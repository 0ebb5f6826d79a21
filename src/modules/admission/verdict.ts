import { MIN_SCORE } from '../accountability/accountability.service.js';
import type { Confidence, StoredMatch, Verdict } from './task-request.entity.js';

/**
 * How a search score is read, in units of the engine's own MIN_SCORE (one meaningful word in an
 * item's name), so that the thresholds follow the engine if its scale changes. A task whose matter
 * is an item of the list scores four units and more; the words every task shares (排查, 上报,
 * 台账, 安全) add up to two or three units on unrelated items.
 * - below ACCEPT_SCORE a match does not put the task in the list;
 * - from SURE_SCORE, or from ACCEPT_SCORE when the item also cites an article the department
 *   claims as its basis, a match is sure (HIGH) — unless a rival with another verdict comes
 *   within RIVAL_RATIO of it;
 * - a match between ACCEPT_SCORE and SURE_SCORE without that citation, or with a close rival, is
 *   LOW: the verdict stands but a person must confirm it (needsDecision).
 * A NOT_IN_LIST verdict is LOW when some item reached WEAK_SCORE or cites the claimed basis.
 */
export const ACCEPT_SCORE = 2.9 * MIN_SCORE;
export const SURE_SCORE = 4 * MIN_SCORE;
export const WEAK_SCORE = 1.6 * MIN_SCORE;
export const RIVAL_RATIO = 0.75;
/** An item citing the claimed basis ranks as if its score were this much higher (corroboration, not proof). */
export const CITATION_FACTOR = 1.25;

/** A candidate item with what the reasons quote. */
export interface Candidate extends StoredMatch {
  accountableBodyName: string;
  /** e.g. 责任清单第2版 */
  listLabel: string;
}

export interface VerdictInput {
  townshipName: string;
  /** Whether any published list of the township is in force on the requested start date. */
  hasLists: boolean;
  /** Search matches, best first, and items found by their citations only (score 0). */
  candidates: Candidate[];
  requesterBodyId: string;
  requesterName: string;
}

export interface VerdictOutcome {
  verdict: Verdict;
  confidence: Confidence;
  needsDecision: boolean;
  requesterIsLead: boolean | null;
  /** The candidates worth showing, the deciding one first. */
  matches: Candidate[];
  reasons: string[];
}

const ROLE_VERDICT: Record<string, Verdict> = { LEAD: 'IN_LIST_LEAD', COOPERATE: 'IN_LIST_COOPERATE', RECLAIMED: 'RECLAIMED' };
const verdictOf = (c: Candidate): Verdict => ROLE_VERDICT[c.townshipRole] ?? 'NOT_IN_LIST';
const rank = (c: Candidate) => c.score * (c.citedArticles.length ? CITATION_FACTOR : 1);
const describe = (c: Candidate) => `${c.listLabel}「${c.name}」（${c.itemCode}，得分${c.score.toFixed(2)}）`;
const MAX_SHOWN = 5;

/**
 * The verdict on a task for one township, from the items of its lists in force that match the
 * task's text (and those citing the article the department claims), with the reasons in Chinese.
 */
export function decideVerdict(input: VerdictInput): VerdictOutcome {
  const { townshipName, requesterBodyId, requesterName } = input;
  if (!input.hasLists) {
    return {
      verdict: 'NOT_IN_LIST', confidence: 'HIGH', needsDecision: true, requesterIsLead: null, matches: [],
      reasons: [`${townshipName}在任务开始之日没有已发布且生效的清单，任务不在清单内，须经县级准入`],
    };
  }
  const ranked = [...input.candidates].sort((a, b) => rank(b) - rank(a) || b.score - a.score || a.itemCode.localeCompare(b.itemCode));
  const matches = ranked.slice(0, MAX_SHOWN);
  const accepted = ranked.filter((c) => c.score >= ACCEPT_SCORE);
  const best = accepted[0];
  const cited = ranked.filter((c) => c.citedArticles.length);
  const citedNote = cited.length
    ? `所称依据${[...new Set(cited.flatMap((c) => c.citedArticles))].join('、')}也被${cited.slice(0, 3).map((c) => `「${c.name}」`).join('、')}引用`
    : null;

  if (!best) {
    const weak = ranked.filter((c) => c.score >= WEAK_SCORE);
    const reasons = [`${townshipName}现行清单中没有与任务内容相符的事项，任务不在清单内，须经县级准入`];
    if (weak.length) reasons.push(`相近但不足以认定的事项：${weak.slice(0, 3).map(describe).join('；')}，请人工核对`);
    if (citedNote) reasons.push(`${citedNote}，但任务内容与这些事项不符，请人工核对`);
    return { verdict: 'NOT_IN_LIST', confidence: weak.length || cited.length ? 'LOW' : 'HIGH', needsDecision: true, requesterIsLead: null, matches, reasons };
  }

  const verdict = verdictOf(best);
  const corroborated = best.citedArticles.length > 0;
  const rival = accepted.find((c) => verdictOf(c) !== verdict && rank(c) >= rank(best) * RIVAL_RATIO);
  const sure = (best.score >= SURE_SCORE || corroborated) && !rival;
  const reasons: string[] = [];
  let requesterIsLead: boolean | null = null;
  switch (verdict) {
    case 'IN_LIST_LEAD':
      reasons.push(`任务属于${townshipName}的基本履职事项：${describe(best)}，由${best.accountableBodyName}负责`);
      break;
    case 'IN_LIST_COOPERATE':
      requesterIsLead = best.accountableBodyId === requesterBodyId;
      reasons.push(`任务属于${townshipName}的配合履职事项：${describe(best)}，由${best.accountableBodyName}牵头，乡镇只承担配合职责${best.townshipDuty ? `：${best.townshipDuty}` : ''}`);
      if (!requesterIsLead) reasons.push(`提出任务的${requesterName}不是该事项的牵头部门${best.accountableBodyName}，请核实`);
      break;
    case 'RECLAIMED':
      requesterIsLead = best.accountableBodyId === requesterBodyId;
      reasons.push(`任务属于已由${best.accountableBodyName}收回的事项：${describe(best)}，不得再交由${townshipName}承担`);
      break;
    default:
      reasons.push(`匹配的事项${describe(best)}在清单中未注明乡镇的角色，须经县级准入`);
  }
  if (corroborated) reasons.push(`所称依据${best.citedArticles.join('、')}与该事项引用的条款一致`);
  else if (citedNote) reasons.push(citedNote);
  if (rival) reasons.push(`另一事项${describe(rival)}也相符，结论不同，请人工核对`);
  else if (!sure) reasons.push('匹配程度一般，请人工核对');
  const needsDecision = verdict === 'NOT_IN_LIST' || !sure || (verdict === 'IN_LIST_COOPERATE' && requesterIsLead === false);
  return { verdict, confidence: sure ? 'HIGH' : 'LOW', needsDecision, requesterIsLead, matches, reasons };
}
