import { parseChineseNumber, toChineseNumber } from '../../src/modules/legal/chinese-numeral.js';

describe('parseChineseNumber', () => {
  it.each([
    ['零', 0],
    ['〇', 0],
    ['一', 1],
    ['九', 9],
    ['十', 10],
    ['十五', 15],
    ['一十五', 15],
    ['二十', 20],
    ['六十五', 65],
    ['一百', 100],
    ['一百零一', 101],
    ['一百一十', 110],
    ['一百一十九', 119],
    ['两百', 200],
    ['二百零五', 205],
    ['一千', 1000],
    ['两千零三', 2003],
    ['一千〇二十三', 1023],
    ['一千零二十三', 1023],
    ['九千九百九十九', 9999],
    ['65', 65],
    ['６５', 65],
    ['007', 7],
    [' 十五 ', 15],
  ])('%s → %d', (s, n) => {
    expect(parseChineseNumber(s)).toBe(n);
  });

  it.each(['', '   ', 'X', '十X', '一二', '十十', '百', '两', '两十', '一百零', '一千零零三', '五千千', '一万', '六十五条', '-5', '6五', '1.5', '10000'])(
    'rejects %j',
    (s) => {
      expect(parseChineseNumber(s)).toBeNull();
    },
  );
});

describe('toChineseNumber', () => {
  it.each([
    [1, '一'],
    [10, '十'],
    [15, '十五'],
    [20, '二十'],
    [100, '一百'],
    [101, '一百零一'],
    [110, '一百一十'],
    [119, '一百一十九'],
    [1003, '一千零三'],
    [1010, '一千零一十'],
    [1023, '一千零二十三'],
    [9999, '九千九百九十九'],
  ])('%d → %s', (n, s) => {
    expect(toChineseNumber(n)).toBe(s);
  });

  it('round-trips 1..9999', () => {
    for (let n = 1; n <= 9999; n++) expect(parseChineseNumber(toChineseNumber(n))).toBe(n);
  });

  it.each([0, -1, 10000, 1.5, NaN])('throws on %d', (n) => {
    expect(() => toChineseNumber(n)).toThrow(RangeError);
  });
});
