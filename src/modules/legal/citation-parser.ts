// Parser for 实施依据 (legal basis) cells: a list of citations such as
// 《中华人民共和国城乡规划法》第六十五条；《社会救助暂行办法》第十一条、第十六条
// Pipeline: split the cell into fragments → per fragment, take the title, then tokenize the clause and run a
// small state machine over the tokens. Nothing is ever dropped: what is not understood is kept as written.

import { parseChineseNumber, toChineseNumber } from './chinese-numeral.js';

export interface ParsedCitation {
  raw: string; // the source fragment this citation came from, trimmed
  instrumentTitle: string | null; // title without 《》
  article: number | null; // 条
  paragraph: number | null; // 款
  item: number | null; // 项
  label: string; // canonical 《title》第N条第M款第（K）项, or raw when unparsed
  parsed: boolean; // false: kept as written, nothing understood
}

/** Largest article range (第X条至第Y条) expanded into one citation per article. */
const MAX_RANGE = 50;
const SEPARATORS = '、；;\n\r。';
const COMMAS = '，,';
// Longest first, so 办法 alone is recognised as a bare word, not a title ending in 法.
const INSTRUMENT_SUFFIXES = ['暂行办法', '实施细则', '条例', '规定', '办法', '决定', '细则', '规则', '意见', '通知', '决议', '规章', '法'];
// Phrases that end like an instrument name but are vague references, not titles (有关规定, 依法).
const VAGUE = /有关|相关|其他|其它|依法|法律法规|等规定/;
// Lead-in verbs tolerated before 《title》 (根据《…》第三条).
const LEAD_IN = /^(根据|依据|依照|按照|参照)$/;
const OPEN_BRACKETS = '（(〔[';
const CLOSE_BRACKETS = '）)〕]';
const NUMERAL = /[0-9０-９零〇一二两三四五六七八九十百千]/;
const UNIT_RANK = { 条: 0, 款: 1, 项: 2 } as const;
type Unit = keyof typeof UNIT_RANK;

// ---------------------------------------------------------------- splitting

interface Span {
  start: number;
  end: number;
  afterComma: boolean;
}

/** Splits on separators outside 《…》 (a title may itself contain 、). */
function splitSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  let afterComma = false;
  const push = (end: number) => {
    if (text.slice(start, end).trim() !== '') spans.push({ start, end, afterComma });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '《') {
      const close = closingBracket(text, i);
      if (close >= 0) i = close;
    } else if (SEPARATORS.includes(ch) || COMMAS.includes(ch)) {
      push(i);
      start = i + 1;
      afterComma = COMMAS.includes(ch);
    }
  }
  push(text.length);
  return spans;
}

/** Index of the 》 closing the 《 at `open`, or -1 when unclosed on that line (so it cannot swallow the rest). */
function closingBracket(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '》') return i;
    if (s[i] === '《' || s[i] === '\n' || s[i] === '\r') return -1;
  }
  return -1;
}

/** The fragments of a cell; a comma splits only when an instrument title follows it. */
function fragments(text: string): string[] {
  const merged: Span[] = [];
  for (const span of splitSpans(text)) {
    const prev = merged[merged.length - 1];
    if (span.afterComma && prev && splitTitle(normalize(text.slice(span.start, span.end))).title === null) {
      prev.end = span.end;
    } else {
      merged.push({ ...span });
    }
  }
  return merged.map((s) => text.slice(s.start, s.end).trim());
}

// ---------------------------------------------------------------- title

/** Drops whitespace (incl. full-width) and trailing punctuation or 等, which carry no meaning here. */
function normalize(fragment: string): string {
  return fragment.replace(/\s+/g, '').replace(/[。．.，,：:！!等]+$/, '');
}

interface TitleSplit {
  title: string | null; // the fragment's own title
  rest: string; // text after the title (the clause)
  malformed: boolean; // the fragment cannot be a citation whatever the clause is
}

function splitTitle(s: string): TitleSplit {
  const open = s.indexOf('《');
  if (open >= 0) {
    const close = closingBracket(s, open);
    if (close < 0) return { title: null, rest: s, malformed: true };
    const title = normalizeTitle(s.slice(open + 1, close));
    const lead = s.slice(0, open);
    const malformed = title === '' || (lead !== '' && !LEAD_IN.test(lead));
    return { title: title || null, rest: s.slice(close + 1), malformed };
  }
  if (s.includes('》')) return { title: null, rest: s, malformed: true };
  // Unbracketed title: the text before the first 第, if it ends like an instrument name.
  const at = s.indexOf('第');
  const head = at < 0 ? s : s.slice(0, at);
  if (head === '') return { title: null, rest: s, malformed: false };
  if (!looksLikeInstrument(head)) return { title: null, rest: s, malformed: true };
  return { title: normalizeTitle(head), rest: s.slice(head.length), malformed: false };
}

function looksLikeInstrument(head: string): boolean {
  if (VAGUE.test(head)) return false;
  const suffix = INSTRUMENT_SUFFIXES.find((x) => head.endsWith(x));
  return suffix !== undefined && head.length > suffix.length;
}

/** legal.csv typesets parentheses in titles full-width; keep keys comparable with it. */
function normalizeTitle(t: string): string {
  return t.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
}

// ---------------------------------------------------------------- clause

type Token = { t: '第' } | { t: 'to' } | { t: 'unit'; u: Unit } | { t: 'num'; v: number; bracketed: boolean };

function tokenize(s: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  const readNumber = (): number | null => {
    let j = i;
    while (j < s.length && NUMERAL.test(s[j])) j++;
    const v = j > i ? parseChineseNumber(s.slice(i, j)) : null;
    i = j;
    return v;
  };
  while (i < s.length) {
    const ch = s[i];
    if (ch === '第') {
      tokens.push({ t: '第' });
      i++;
    } else if (ch === '条' || ch === '款' || ch === '项') {
      tokens.push({ t: 'unit', u: ch });
      i++;
    } else if (ch === '至' || ch === '到') {
      tokens.push({ t: 'to' });
      i++;
    } else if (OPEN_BRACKETS.includes(ch)) {
      i++;
      const v = readNumber();
      if (v === null || !CLOSE_BRACKETS.includes(s[i] ?? '')) return null;
      i++;
      tokens.push({ t: 'num', v, bracketed: true });
    } else if (NUMERAL.test(ch)) {
      const v = readNumber();
      if (v === null) return null;
      tokens.push({ t: 'num', v, bracketed: false });
    } else {
      return null;
    }
  }
  return tokens;
}

type Clause =
  | { kind: 'none' }
  | { kind: 'parts'; parts: Array<[Unit, number]> } // units strictly in 条 < 款 < 项 order
  | { kind: 'range'; from: number; to: number };

/**
 * clause := part+ | 第 N [条] 至 [第] N 条      part := 第 N 条|款|项   (bracketed N only before 项)
 * Ranges cover articles only.
 */
function parseClause(s: string): Clause | null {
  if (s === '') return { kind: 'none' };
  const toks = tokenize(s);
  if (!toks) return null;
  let i = 0;
  const num = (): number | null => {
    const tok = toks[i];
    if (tok?.t !== 'num' || tok.bracketed || tok.v < 1) return null;
    i++;
    return tok.v;
  };
  const isUnit = (u: Unit) => {
    const tok = toks[i];
    return tok?.t === 'unit' && tok.u === u;
  };
  const range = (from: number): Clause | null => {
    i++; // 至
    if (toks[i]?.t === '第') i++;
    const to = num();
    if (to === null || !isUnit('条') || i + 1 !== toks.length) return null;
    return { kind: 'range', from, to };
  };

  const parts: Array<[Unit, number]> = [];
  while (i < toks.length) {
    if (toks[i].t !== '第') return null;
    i++;
    const tok = toks[i];
    if (tok?.t !== 'num' || tok.v < 1) return null;
    i++;
    if (parts.length === 0 && toks[i]?.t === 'to') {
      return tok.bracketed ? null : range(tok.v); // 第X至Y条
    }
    const unitTok = toks[i];
    if (unitTok?.t !== 'unit') return null;
    i++;
    const unit = unitTok.u;
    if (tok.bracketed && unit !== '项') return null;
    const last = parts[parts.length - 1];
    if (last && UNIT_RANK[unit] <= UNIT_RANK[last[0]]) return null;
    parts.push([unit, tok.v]);
    if (parts.length === 1 && unit === '条' && toks[i]?.t === 'to') return range(tok.v); // 第X条至第Y条
  }
  return { kind: 'parts', parts };
}

// ---------------------------------------------------------------- citations

function cite(raw: string, title: string | null, article: number | null, paragraph: number | null, item: number | null): ParsedCitation {
  let label = title !== null ? `《${title}》` : '';
  if (article !== null) label += `第${toChineseNumber(article)}条`;
  if (paragraph !== null) label += `第${toChineseNumber(paragraph)}款`;
  if (item !== null) label += `第（${toChineseNumber(item)}）项`;
  return { raw, instrumentTitle: title, article, paragraph, item, label, parsed: true };
}

function unparsed(raw: string, title: string | null): ParsedCitation {
  return { raw, instrumentTitle: title, article: null, paragraph: null, item: null, label: raw, parsed: false };
}

/** Stable comparable form: "title|article|paragraph|item" (empty for null), or "raw:<text>" when unparsed. */
export function citationKey(c: ParsedCitation): string {
  if (!c.parsed) return `raw:${c.raw}`;
  return [c.instrumentTitle ?? '', c.article ?? '', c.paragraph ?? '', c.item ?? ''].join('|');
}

// ---------------------------------------------------------------- numbered lines and quoted article text

/** A numbering in front of a line or an element: 1. 1、 1． (1) （一） 一、 ①. */
const LINE_NUMBERING = /^\s*(?:[(（][0-9一二三四五六七八九十]{1,3}[)）]|\d{1,3}[.．、](?!\d)|[一二三四五六七八九十]{1,3}、|[①-⑳])\s*/;
const N = '[0-9０-９零〇一二两三四五六七八九十百千]+';
/** A citation's head followed by `：` and the quoted text of the article: 《…》第三十九条：公安机关… */
const QUOTE_HEAD = new RegExp(`^([^：:\\n]{0,120}?(?:第${N}条(?:第${N}款)?(?:第[（(]?${N}[）)]?项)?|》)(?:的?规定)?)\\s*[：:]\\s*(\\S[\\s\\S]*)$`);
/** A line that starts a citation of its own (not the continuation of a quoted text). */
const CITATION_START = /^(?:《|第|(?:根据|依据|依照|按照|参照)《|[^，,。；;：:\s]{2,40}?(?:法|条例|规定|办法|细则|决定)第)/;

export interface BasisLine {
  /** What is cited: the line without its numbering and without quoted text. */
  cited: string;
  /** The line as written (numbering apart), quoted text included: the citations' raw text. */
  raw: string;
  /** Text quoted after `：`, continuation lines included; null when the line quotes nothing. */
  quoted: string | null;
}

/**
 * The lines of a legal-basis cell: numbering dropped (1. （一） ①…), and a citation that quotes its
 * article after `：` split into what it cites and the quoted text, which runs on over the following
 * lines until one starts a citation of its own or is numbered. Only the cited part is parsed; the
 * quoted words never become citations.
 */
export function basisLines(text: string): BasisLine[] {
  const lines: BasisLine[] = [];
  let quoting: BasisLine | null = null;
  for (const original of text.split(/\r?\n/)) {
    const numbered = LINE_NUMBERING.test(original);
    const line = original.replace(LINE_NUMBERING, '').trim();
    if (!line) continue;
    if (quoting && !numbered && !CITATION_START.test(line)) {
      quoting.quoted += `\n${line}`;
      quoting.raw += `\n${line}`;
      continue;
    }
    const m = QUOTE_HEAD.exec(line);
    if (m && /[《第]/.test(m[1])) {
      quoting = { cited: m[1].trim(), raw: line, quoted: m[2].trim() };
      lines.push(quoting);
    } else {
      quoting = null;
      lines.push({ cited: line, raw: line, quoted: null });
    }
  }
  return lines;
}

/** The text a citation's raw form quotes after its head (`《…》第三十九条：…`), or null. */
export function quotedTextOf(raw: string): string | null {
  const m = QUOTE_HEAD.exec(raw.replace(LINE_NUMBERING, '').trim());
  return m && /[《第]/.test(m[1]) ? m[2].trim() : null;
}

export function parseLegalBasis(text: string | null | undefined): ParsedCitation[] {
  if (!text || text.trim() === '') return [];
  const out: ParsedCitation[] = [];
  const seen = new Set<string>();
  const emit = (c: ParsedCitation) => {
    const key = citationKey(c);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(c);
    }
  };

  // Context for bare clauses: 第十六条 inherits the last title; 第二款 / 第三项 also the last article (and 款).
  let ctxTitle: string | null = null;
  let ctxArticle: number | null = null;
  let ctxParagraph: number | null = null;

  for (const line of basisLines(text)) for (const fragment of fragments(line.cited)) {
    // A quoted line's citations keep the whole line as their raw text (the quote with them).
    const raw = line.quoted === null ? fragment : line.raw;
    const s = normalize(fragment).replace(LINE_NUMBERING, '');
    if (s === '') continue; // e.g. a lone 等
    const head = splitTitle(s);
    if (head.title !== null) {
      ctxTitle = head.title;
      ctxArticle = ctxParagraph = null;
    }
    const clause = head.malformed ? null : parseClause(head.rest.replace(/[的之]?规定$/, '').replace(/等$/, ''));
    const resolved: Triple[] | null = clause && resolve(clause, ctxArticle, ctxParagraph);
    if (!clause || !resolved) {
      emit(unparsed(raw, head.title));
      ctxArticle = ctxParagraph = null;
      continue;
    }
    for (const [article, paragraph, item] of resolved) emit(cite(raw, ctxTitle, article, paragraph, item));
    const last: Triple = resolved[resolved.length - 1];
    [ctxArticle, ctxParagraph] = [last[0], last[1]];
  }
  return out;
}

type Triple = [number | null, number | null, number | null];

/** Turns a clause into (article, paragraph, item) triples, filling leading gaps from the context; null if impossible. */
function resolve(clause: Clause, ctxArticle: number | null, ctxParagraph: number | null): Triple[] | null {
  switch (clause.kind) {
    case 'none':
      return [[null, null, null]];
    case 'range': {
      const { from, to } = clause;
      if (to < from || to - from > MAX_RANGE) return null;
      return Array.from({ length: to - from + 1 }, (_, k): Triple => [from + k, null, null]);
    }
    case 'parts': {
      const get = (u: Unit) => clause.parts.find(([unit]) => unit === u)?.[1] ?? null;
      const first = clause.parts[0][0];
      if (first === '条') return [[get('条'), get('款'), get('项')]];
      if (ctxArticle === null) return null; // 第二款 with nothing to attach to
      return [[ctxArticle, first === '项' ? ctxParagraph : get('款'), get('项')]];
    }
  }
}
