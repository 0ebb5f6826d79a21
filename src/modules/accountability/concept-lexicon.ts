import fs from 'node:fs';
import { projectFile } from '../../common/project-files.js';
import { onWarmUp } from './chinese-text.js';

/**
 * The concept lexicon (data/concept-lexicon.tsv, described in data/README.md): everyday
 * expressions people use (报户, 吸沙, 孩子不念书了) mapped to the official terms township lists use
 * (出生登记, 河道采砂, 控辍保学). Read once per process; the question analyzer looks its expressions
 * up in a question and searches the official terms of the concepts found.
 */
export interface Concept {
  domain: string;
  concept: string;
  /** Official terms, most common first. */
  official: string[];
  expressions: string[];
  note: string;
}

export const LEXICON_COLUMNS = ['domain', 'concept', 'official', 'expressions', 'note'] as const;
/** An expression may belong to at most this many concepts (data/README.md). */
export const MAX_CONCEPTS_PER_EXPRESSION = 3;

/**
 * The domain of matters no township list carries (住房公积金, 信用卡, 驾照, 中考, 火车票…: banks,
 * county bureaus, courts, companies). A question read as one of them is answered only by an item
 * that matches a concept of the question — a list that does carry the matter matches its official
 * terms — never by an item that merely shares a plain word with it (住房 of 住房公积金).
 */
export const ELSEWHERE_DOMAIN = '他处办理';

export const LEXICON_PATH = 'src/modules/accountability/data/concept-lexicon.tsv';

/**
 * Parses the TSV: `#` comment lines first, the header, then one concept per line of exactly five
 * tab-separated fields. Throws, naming the line, on anything else (the unit test checks the file).
 */
export function parseLexicon(text: string): Concept[] {
  if (text.charCodeAt(0) === 0xfeff) throw new Error('concept-lexicon.tsv: no byte order mark expected');
  if (text.includes('\r')) throw new Error('concept-lexicon.tsv: LF line ends expected');
  const lines = text.split('\n');
  let at = 0;
  while (at < lines.length && lines[at].startsWith('#')) at++;
  if (lines[at] !== LEXICON_COLUMNS.join('\t')) throw new Error(`concept-lexicon.tsv line ${at + 1}: the header ${LEXICON_COLUMNS.join(' ')} expected`);
  const concepts: Concept[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '' && i === lines.length - 1) break;
    const fields = line.split('\t');
    if (fields.length !== LEXICON_COLUMNS.length) throw new Error(`concept-lexicon.tsv line ${i + 1}: ${fields.length} fields, 5 expected`);
    const [domain, concept, official, expressions, note] = fields.map((f) => f.trim());
    const split = (s: string) => s.split('|').map((x) => x.trim()).filter(Boolean);
    if (!domain || !concept) throw new Error(`concept-lexicon.tsv line ${i + 1}: empty domain or concept`);
    if (!split(official).length || !split(expressions).length) throw new Error(`concept-lexicon.tsv line ${i + 1}: empty official terms or expressions`);
    concepts.push({ domain, concept, official: split(official), expressions: split(expressions), note });
  }
  return concepts;
}

/** Characters written either way in questions and lists (沙/砂): each official term is searched in both forms. */
export const CHARACTER_VARIANTS: readonly [string, string][] = [['砂', '沙']];

/** A text's forms with each variant character swapped (砂石 → 砂石, 沙石), the text itself first. */
export function variantForms(text: string): string[] {
  const forms = [text];
  for (const [a, b] of CHARACTER_VARIANTS) {
    for (const form of [...forms]) {
      if (form.includes(a)) forms.push(form.split(a).join(b));
      else if (form.includes(b)) forms.push(form.split(b).join(a));
    }
  }
  return [...new Set(forms)];
}

export interface ConceptLexicon {
  concepts: readonly Concept[];
  /** Expression → the concepts it belongs to. */
  byExpression: ReadonlyMap<string, readonly Concept[]>;
  /** Every expression, longest first (matched in a question in this order, each consumed). */
  expressions: readonly string[];
}

export function buildLexicon(concepts: Concept[]): ConceptLexicon {
  const byExpression = new Map<string, Concept[]>();
  for (const c of concepts)
    // A question may use the official term itself (河道采砂): it reads as the concept too.
    for (const e of [...c.expressions, ...c.official]) {
      // An expression as written, and without a closing particle (不念书了 → 不念书).
      const written = e.normalize('NFKC').replace(/\s+/g, '');
      // …and in its 沙/砂 forms (吸沙, 吸砂).
      for (const key of new Set([written, written.replace(/[了的啦吗呢呀啊吧]+$/u, '')].flatMap(variantForms))) {
        if ([...key].length < 2) continue;
        const list = byExpression.get(key) ?? [];
        if (!list.includes(c)) list.push(c);
        byExpression.set(key, list);
      }
    }
  const expressions = [...byExpression.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return { concepts, byExpression, expressions };
}

let loaded: ConceptLexicon | undefined;

/** The shipped lexicon, parsed on first use (about 7,000 expressions; a few milliseconds). */
export function conceptLexicon(): ConceptLexicon {
  loaded ??= buildLexicon(parseLexicon(fs.readFileSync(projectFile(LEXICON_PATH), 'utf8')));
  return loaded;
}

onWarmUp(() => conceptLexicon());
