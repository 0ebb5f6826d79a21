import { badInput } from '../../common/domain-error.js';
import { idfOf, segmentForIndex, segmentWords } from './chinese-text.js';

/** Question words and filler that say nothing about the matter (归谁管, 找谁, 怎么办…). */
export const FILLER_PHRASES = [
  '归哪个部门管', '归哪里管', '归谁管', '该归谁管', '哪个部门管', '哪个部门负责', '哪里管', '谁来管', '谁管', '谁负责', '由谁负责', '找哪个部门',
  '找哪里', '找谁', '向谁反映', '怎么办理', '怎么办', '怎么处理', '如何处理', '如何办理', '怎么申请', '去哪里办', '去哪办', '在哪办', '到哪里',
  '请问', '你好', '有没有人管', '没人管', '有人管吗', '可以吗', '行不行', '能不能', '是不是', '要不要', '应该', '一下', '我们', '我家', '我们家',
  '家里', '有人', '有个', '那个', '这个', '什么', '为什么', '吗', '呢', '吧', '啊', '呀', '了', '的',
];
/** Words too common in questions to carry meaning on their own. */
const STOP_WORDS = new Set([
  '自己', '没有', '不是', '就是', '还有', '只是', '不能', '不会', '不要', '不用', '时候', '一个', '一样', '一下', '一些', '这样', '那样', '这种', '那种',
  '听说', '好像', '结果', '然后', '但是', '因为', '所以', '如果', '到底', '究竟', '是否', '或者', '而且', '我们', '他们', '人家', '别人', '大家',
  '多少', '几个', '怎样', '这事', '这些', '那些', '东西', '地方', '时间', '以后', '之前', '开始', '出来', '起来', '过来', '下来',
  '哪里', '哪个', '部门', '谁', '管', '找', '问题', '情况', '事情', '现在', '今天', '昨天', '一直', '总是', '已经', '还是', '可以', '需要', '知道',
  '想', '要', '去', '说', '看', '村里', '村口', '附近', '旁边', '隔壁', '邻居', '老是', '经常', '特别', '非常', '怎么', '如何', '办理', '处理',
]);

export const MAX_QUESTION_LENGTH = 200;

/** A word's weight from its rarity, about 1 for everyday words and up to 3 for rare ones. */
const wordWeight = (word: string) => Math.min(3, Math.max(0.5, idfOf(word) / 4));

export interface QueryTerm {
  /** The word as understood, shown in `terms` and `matchedTerms`. */
  term: string;
  /** The tokens an item must all contain (the term segmented like the index). */
  tokens: string[];
  weight: number;
  fromSynonym: boolean;
  /** Terms of one group are alternatives (a word and its parts): only the best of them counts. */
  group: string;
}

export interface AnalyzedQuestion {
  question: string;
  terms: QueryTerm[];
}

/**
 * How a question is understood: filler removed, synonyms and colloquial forms expanded (matched
 * anywhere in the text, since colloquial phrases are often split by the segmenter), the rest
 * segmented and weighted by TF-IDF.
 */
export function analyzeQuestion(raw: string, synonyms: ReadonlyMap<string, string[]>): AnalyzedQuestion {
  const question = (raw ?? '').normalize('NFKC').trim();
  if (!question) throw badInput('question', '请输入要查询的事项，例如“村口有人乱搭棚子归哪里管”');
  if ([...question].length > MAX_QUESTION_LENGTH) throw badInput('question', `问题不能超过${MAX_QUESTION_LENGTH}个字`);
  if (/[\u0000-\u001F\u007F]/.test(question)) throw badInput('question', '问题含有不可见的控制字符');

  let text = question.replace(/[\p{P}\p{S}]+/gu, ' ');
  for (const filler of FILLER_PHRASES) text = text.split(filler).join(' ');

  const terms = new Map<string, QueryTerm>();
  const add = (term: string, weight: number, fromSynonym: boolean, group = term) => {
    const tokens = [...new Set(segmentWords(term))];
    if (!tokens.length) return;
    const existing = terms.get(term);
    if (existing) existing.weight = Math.max(existing.weight, weight);
    else terms.set(term, { term, tokens, weight, fromSynonym, group });
  };

  // Colloquial forms first, longest first, each consumed so its pieces are not searched again.
  const keys = [...synonyms.keys()].sort((a, b) => b.length - a.length);
  for (const key of keys) {
    if (!text.includes(key)) continue;
    text = text.split(key).join(' ');
    add(key, 2, false);
    for (const expansion of synonyms.get(key)!) add(expansion, 3, true);
  }

  // The rest, word by word, weighted by rarity; a compound word also counts by its parts, for less.
  for (const word of segmentWords(text)) {
    if (STOP_WORDS.has(word) || [...word].length < 2) continue;
    const weight = wordWeight(word);
    add(word, weight, false);
    for (const part of segmentForIndex(word)) if (part !== word && [...part].length >= 2 && !STOP_WORDS.has(part)) add(part, wordWeight(part) / 2, false, word);
  }
  return { question, terms: [...terms.values()] };
}
