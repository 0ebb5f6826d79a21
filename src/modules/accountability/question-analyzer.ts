import { badInput } from '../../common/domain-error.js';
import { idfOf, segmentForIndex, segmentWords } from './chinese-text.js';
import { conceptLexicon, ELSEWHERE_DOMAIN, variantForms, type ConceptLexicon } from './concept-lexicon.js';

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

/**
 * Words that ask about the duty itself (职责, 管不管, 有没有, 归谁, 上面让我们…): not the matter. Removed
 * before the matter is looked for; some of them mark a "do we have this duty" question (below).
 */
export const DUTY_PHRASES = [
  '我们有没有这个职责', '我们有这个职责吗', '有没有这个职责', '有这个职责吗', '是不是我们的职责', '是我们的职责吗', '属于我们的职责吗', '是不是我们的事', '是我们的事吗',
  '归不归我们管', '该不该我们管', '是不是我们管', '是我们管吗', '我们管不管', '我们要不要管', '我们该不该管', '我们能不能管', '我们有权管吗', '我们有没有权',
  '上面让我们', '上面叫我们', '上面要我们', '上面要求我们', '上级让我们', '上级要求我们', '上级叫我们', '县里让我们', '县里要我们', '市里让我们', '部门让我们', '部门要我们',
  '有没有这个责任', '有这个责任吗', '有没有这项职责', '这个职责', '这项职责', '这个责任', '职责范围', '职责', '职能', '管不管', '归不归', '该不该', '属不属于',
  '有没有', '归谁', '我们镇', '我们乡', '我们街道', '本镇', '本乡',
];

/** A "do we have this duty" question: a township clerk asking whether the matter is the township's. */
const DUTY_CHECK = [
  /(有没有|有无|有|是不是|是|属不属于|属于)(这个|这项|这些)?(职责|责任|义务|职能)/,
  /(职责|职能|责任|义务)(吗|么|嘛|不|范围)/,
  /(上面|上级|县里|市里|部门)(让|叫|要|要求|安排)我们/,
  /(我们|镇里|乡里|街道|我镇|本镇)[^，。？?]{0,12}(管不管|该不该管|要不要管|能不能管|归不归|是不是我们)/,
  /(归不归|该不该|是不是|属不属于)(我们|镇里|乡里|乡镇|镇政府|街道)/,
  /(我们|镇里|乡镇|镇政府)(要|该|能|可以|应该)?(管|查|负责|处理|承担)(吗|么|嘛)/,
  /(我们|镇里|乡里|乡镇|镇政府|我镇|本镇)[^，。？?]{0,3}(要|该|能|可以|应该|需要)(管|查|负责|处理|承担)[^，。？?]{0,20}(吗|么|嘛)[？?]?$/,
];

export type QuestionIntent = 'WHO_IS_ACCOUNTABLE' | 'DUTY_CHECK';

export function questionIntent(question: string): QuestionIntent {
  return DUTY_CHECK.some((re) => re.test(question)) ? 'DUTY_CHECK' : 'WHO_IS_ACCOUNTABLE';
}

/** The distinctive words of a concept's official terms and of the expression found (memoized per concept and expression). */
const conceptWordMemo = new Map<string, string[]>();
function conceptWords(official: readonly string[], expression: string): string[] {
  const key = `${official.join('|')}\t${expression}`;
  let words = conceptWordMemo.get(key);
  if (!words) {
    if (conceptWordMemo.size >= 50_000) conceptWordMemo.clear();
    // Whole words (precise mode), not the fragments search mode adds (城中村 → 城中, 中村); no numbers (三十年).
    const all = [...official, expression].flatMap((t) => segmentWords(t));
    words = [...new Set(all)].filter(
      (w) => [...w].length >= 2 && !GENERIC_WORDS.has(w) && !STOP_WORDS.has(w) && !/[\d一二三四五六七八九十百千万第]/u.test(w) && !official.includes(w) && w !== expression,
    );
    conceptWordMemo.set(key, words);
  }
  return words;
}

/** A term's tokens, remembered: the lexicon's official terms come back question after question. */
const tokenMemo = new Map<string, string[]>();
function tokensOf(term: string): string[] {
  let tokens = tokenMemo.get(term);
  if (!tokens) {
    if (tokenMemo.size >= 50_000) tokenMemo.clear();
    tokenMemo.set(term, (tokens = [...new Set(segmentWords(term))]));
  }
  return tokens;
}

export interface QueryTerm {
  /** The word as understood, shown in `terms` and `matchedTerms`. */
  term: string;
  /** The tokens an item must all contain (the term segmented like the index). */
  tokens: string[];
  weight: number;
  fromSynonym: boolean;
  /** Terms of one group are alternatives (a word and its parts, a concept's official terms): only the best of them counts. */
  group: string;
}

export interface AnalyzedQuestion {
  question: string;
  intent: QuestionIntent;
  terms: QueryTerm[];
  /** The concepts of the lexicon the question was read as (data/concept-lexicon.tsv). */
  concepts: string[];
  /** The question names a matter handled elsewhere (ELSEWHERE_DOMAIN): only an item matching one of its concepts answers it. */
  elsewhere: boolean;
}

/** The group of a concept's terms; `conceptGroup` tells a concept's group from a word's. */
const CONCEPT_GROUP = '概念:';
export const isConceptGroup = (group: string) => group.startsWith(CONCEPT_GROUP);

/** Weights: a synonym an ADMIN wrote counts most; a lexicon expression by its length (two characters are weak evidence). */
const SYNONYM_FORM = 2;
const SYNONYM_EXPANSION = 3;
/**
 * A concept's official terms also count by their words, for less (CONCEPT_WORD_SHARE): a list
 * says 农村违法建房 where the lexicon says 违法建设, 村庄环境卫生 where it says 农村生活垃圾收运处置,
 * and an official term matches only when all its words are in one item. Words every kind of item
 * uses (管理, 安全, 农村…) tell nothing and are left out.
 */
const CONCEPT_WORD_SHARE = 0.4;
const GENERIC_WORDS = new Set([
  '管理', '工作', '服务', '农村', '城乡', '城镇', '基层', '乡村', '乡镇', '镇级', '村级', '村民', '居民', '农民', '人员', '单位', '建设', '安全', '保护', '保障',
  '监管', '监督', '检查', '治理', '整治', '查处', '审批', '审核', '受理', '申请', '登记', '许可', '备案', '处理', '处置', '行为', '违法', '违规', '非法', '组织',
  '实施', '指导', '责任', '制度', '事项', '活动', '工程', '设施', '资金', '综合', '行政', '专项', '重点', '重大', '一般', '国家', '公共', '社会', '发展', '生产',
  '经营', '使用', '问题', '情况', '防治', '防范', '防控', '预防', '应急', '规划', '标准', '信息', '市场', '机构', '对象', '家庭', '群众', '企业', '项目', '工作者',
]);
const lexiconWeight = (expression: string) => ([...expression].length >= 4 ? 2.6 : [...expression].length === 3 ? 2.3 : 1.8);

/**
 * How a question is understood: duty words and filler removed (and whether it asks "is this our
 * duty"), synonyms of the table and expressions of the concept lexicon expanded to official terms
 * (matched anywhere in the text, longest first, each consumed: colloquial phrases are often split
 * by the segmenter), the rest segmented and weighted by TF-IDF; 沙/砂 forms searched alike.
 */
export function analyzeQuestion(raw: string, synonyms: ReadonlyMap<string, string[]>, lexicon: ConceptLexicon = conceptLexicon()): AnalyzedQuestion {
  const question = (raw ?? '').normalize('NFKC').trim();
  if (!question) throw badInput('question', '请输入要查询的事项，例如“村口有人乱搭棚子归哪里管”');
  if ([...question].length > MAX_QUESTION_LENGTH) throw badInput('question', `问题不能超过${MAX_QUESTION_LENGTH}个字`);
  if (/[\u0000-\u001F\u007F]/.test(question)) throw badInput('question', '问题含有不可见的控制字符');

  const intent = questionIntent(question);
  let text = question.replace(/[\p{P}\p{S}]+/gu, ' ');
  for (const phrase of DUTY_PHRASES) text = text.split(phrase).join(' ');

  const terms = new Map<string, QueryTerm>();
  const add = (term: string, weight: number, fromSynonym: boolean, group = term) => {
    for (const form of variantForms(term)) {
      const tokens = tokensOf(form);
      if (!tokens.length) continue;
      const existing = terms.get(form);
      if (existing) existing.weight = Math.max(existing.weight, weight);
      else terms.set(form, { term: form, tokens, weight, fromSynonym, group });
    }
  };

  // Colloquial forms of the synonym table and expressions of the concept lexicon, longest first
  // (the table's before the lexicon's of the same length), each consumed so its pieces are not
  // searched again. A lexicon concept's official terms are alternatives of one another (and of
  // the expression itself), so a concept counts once, by its best match. A two-character
  // expression counts only as a word of the question (产检 is not in 企业安全生产检查).
  const concepts: string[] = [];
  let elsewhere = false;
  const words = new Set(segmentForIndex(text));
  const keys = [...synonyms.keys()].sort((a, b) => b.length - a.length);
  let k = 0;
  const synonym = (key: string) => {
    if (!text.includes(key)) return;
    text = text.split(key).join(' ');
    add(key, SYNONYM_FORM, false);
    for (const expansion of synonyms.get(key)!) add(expansion, SYNONYM_EXPANSION, true);
    // The same form in the lexicon reads as its concept too (the table's 私搭乱建 → 违法建设, and the
    // lexicon's official terms, which a list may word otherwise: 违法建房).
    if (lexicon.byExpression.has(key)) concept(key);
  };
  const concept = (expression: string) => {
    const weight = lexiconWeight(expression);
    for (const concept of lexicon.byExpression.get(expression)!) {
      const group = CONCEPT_GROUP + concept.concept;
      if (!concepts.includes(concept.concept)) concepts.push(concept.concept);
      if (concept.domain === ELSEWHERE_DOMAIN) elsewhere = true;
      add(expression, weight * 0.7, false, group);
      for (const official of concept.official) add(official, weight, true, group);
      // A matter handled elsewhere is recognised by its own terms only, never by a word they share with a township's item.
      if (concept.domain !== ELSEWHERE_DOMAIN) for (const word of conceptWords(concept.official, expression)) add(word, weight * CONCEPT_WORD_SHARE, true, group);
    }
  };
  for (const expression of lexicon.expressions) {
    for (; k < keys.length && keys[k].length >= expression.length; k++) synonym(keys[k]);
    if (!text.includes(expression) || (expression.length === 2 && !words.has(expression))) continue;
    text = text.split(expression).join(' ');
    concept(expression);
  }
  for (; k < keys.length; k++) synonym(keys[k]);

  // Filler goes after the table and the lexicon were looked up (their forms may hold 了, 的, 有人…).
  for (const filler of FILLER_PHRASES) text = text.split(filler).join(' ');

  // The rest, word by word, weighted by rarity; a compound word also counts by its parts, for less.
  for (const word of segmentWords(text)) {
    if (STOP_WORDS.has(word) || [...word].length < 2) continue;
    const weight = wordWeight(word);
    add(word, weight, false);
    for (const part of segmentForIndex(word)) if (part !== word && [...part].length >= 2 && !STOP_WORDS.has(part)) add(part, wordWeight(part) / 2, false, word);
  }
  return { question, intent, terms: [...terms.values()], concepts, elsewhere };
}
