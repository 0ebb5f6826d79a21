import fs from 'node:fs';
import path from 'node:path';
import { buildLexicon, LEXICON_COLUMNS, LEXICON_PATH, MAX_CONCEPTS_PER_EXPRESSION, parseLexicon, variantForms } from '../../src/modules/accountability/concept-lexicon.js';

/** The shape data/README.md promises of concept-lexicon.tsv. */
describe('the concept lexicon file', () => {
  const text = fs.readFileSync(path.resolve(LEXICON_PATH), 'utf8');
  const concepts = parseLexicon(text);

  it('is UTF-8 without a byte order mark, LF line ends, comment lines then the header', () => {
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text).not.toContain('\r');
    const lines = text.split('\n');
    const header = lines.findIndex((l) => !l.startsWith('#'));
    expect(header).toBeGreaterThan(0);
    expect(lines[header]).toBe(LEXICON_COLUMNS.join('\t'));
  });

  it('has exactly five fields on every concept line, none of domain, concept, official terms or expressions empty', () => {
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#')).slice(1);
    expect(lines.length).toBe(concepts.length);
    for (const [i, line] of lines.entries()) {
      const fields = line.split('\t');
      expect({ line: i, fields: fields.length }).toEqual({ line: i, fields: 5 });
      for (const at of [0, 1, 2, 3]) expect({ line: i, at, empty: fields[at].trim() === '' }).toEqual({ line: i, at, empty: false });
    }
    expect(concepts.length).toBeGreaterThan(400);
  });

  it('names each concept once', () => {
    const names = concepts.map((c) => c.concept);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it(`lists no expression under more than ${MAX_CONCEPTS_PER_EXPRESSION} concepts`, () => {
    const count = new Map<string, number>();
    for (const c of concepts) for (const e of new Set(c.expressions)) count.set(e, (count.get(e) ?? 0) + 1);
    expect([...count].filter(([, n]) => n > MAX_CONCEPTS_PER_EXPRESSION)).toEqual([]);
  });

  it('has no empty element between the | separators', () => {
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')).slice(1)) {
      const [, concept, official, expressions] = line.split('\t');
      expect({ concept, official: official.split('|').some((x) => !x.trim()), expressions: expressions.split('|').some((x) => !x.trim()) }).toEqual({
        concept, official: false, expressions: false,
      });
    }
  });

  it('refuses a malformed file naming the line', () => {
    expect(() => parseLexicon('domain\tconcept\tofficial\texpressions\tnote\n民政\t低保\t最低生活保障\n')).toThrow(/line 2: 3 fields/);
    expect(() => parseLexicon('domain\tconcept\n')).toThrow(/header/);
    expect(() => parseLexicon('domain\tconcept\tofficial\texpressions\tnote\n民政\t低保\t\t吃低保\t\n')).toThrow(/line 2: empty official/);
  });
});

describe('the lexicon as the analyzer reads it', () => {
  it('finds a concept by an expression, by the expression without its closing particle, and by an official term', () => {
    const lexicon = buildLexicon(parseLexicon('domain\tconcept\tofficial\texpressions\tnote\n教育\t控辍保学\t控辍保学|劝返复学\t不念书了|辍学\t\n'));
    expect(lexicon.byExpression.get('不念书了')?.[0].concept).toBe('控辍保学');
    expect(lexicon.byExpression.get('不念书')?.[0].concept).toBe('控辍保学');
    expect(lexicon.byExpression.get('劝返复学')?.[0].concept).toBe('控辍保学');
    expect(lexicon.expressions[0].length).toBeGreaterThanOrEqual(lexicon.expressions[lexicon.expressions.length - 1].length);
  });

  it('writes 沙 and 砂 alike', () => {
    expect(variantForms('河道采砂')).toEqual(['河道采砂', '河道采沙']);
    expect(variantForms('吸沙')).toEqual(['吸沙', '吸砂']);
    expect(variantForms('违建')).toEqual(['违建']);
  });
});
