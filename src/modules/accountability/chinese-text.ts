import { createRequire } from 'node:module';
import type { Jieba as JiebaType } from '@node-rs/jieba';

// @node-rs/jieba is a CommonJS native addon with its dictionaries beside it.
const require = createRequire(import.meta.url);
const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
const { dict, idf } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array; idf: Uint8Array };

/**
 * Words of the lists' own domain that the general dictionary splits badly (乱|搭乱建): taught
 * to the segmenter so that index and questions cut them the same way.
 */
const DOMAIN_WORDS = [
  '乱搭乱建', '私搭乱建', '违法建设', '违章建筑', '违建', '拆违', '控违', '未批先建', '批东建西', '宅基地', '一户一宅', '建房',
  '秸秆焚烧', '露天焚烧', '禁烧', '烧麦茬', '烧秸秆', '秸秆还田', '矛盾纠纷', '人民调解', '民间纠纷', '低保', '最低生活保障',
  '特困人员', '临时救助', '医疗救助', '户口登记', '婚姻登记', '林木采伐', '采伐许可证', '烟花爆竹', '非煤矿山', '综合行政执法',
  '河长制', '田长制', '控辍保学', '网格员', '火灾隐患', '生活垃圾', '人居环境', '乱埋乱葬', '违规土葬', '校外培训', '集体聚餐',
  '流浪乞讨', '动物防疫', '强制免疫', '死亡畜禽', '病死猪', '地质灾害', '防汛抗旱', '森林防火', '护林员', '退役军人', '计划生育',
  '扶助金', '未成年人', '农产品质量', '农药', '燃气安全', '瓶装燃气', '河道采砂', '畜禽养殖', '土地承包', '权属争议', '统计调查',
  '村务公开', '安全生产', '排污', '超标排放', '耕地保护', '永久基本农田', '基本农田', '殡葬', '墓地',
];

/** What decides how a text is cut: the segmenter's version and our dictionary (the search document's version includes it). */
export const SEGMENTATION_FINGERPRINT = JSON.stringify([(require('@node-rs/jieba/package.json') as { version: string }).version, DOMAIN_WORDS]);

let jieba: JiebaType | undefined;

function segmenter(): JiebaType {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(DOMAIN_WORDS.map((w) => `${w} 20000 n`).join('\n')));
  }
  return jieba;
}

const PUNCTUATION = /^[\s\p{P}\p{S}\d０-９a-zA-Z]*$/u;

/** Search-mode tokens of a text (words and their compounds), punctuation dropped. */
export function segmentForIndex(text: string | null | undefined): string[] {
  if (!text) return [];
  return segmenter()
    .cutForSearch(text, true)
    .map((t) => t.trim())
    .filter((t) => t && !PUNCTUATION.test(t));
}

/** Loads the segmenter's dictionaries and the IDF table now instead of on the first question. */
export function warmUpSegmentation(): void {
  segmenter();
  idfOf('');
  warmUps.forEach((f) => f());
}

const warmUps: (() => void)[] = [];
/** More to load before the first question (the concept lexicon registers itself here). */
export function onWarmUp(f: () => void): void {
  warmUps.push(f);
}

let idfTable: Map<string, number> | undefined;
let medianIdf = 10;

/** Inverse document frequency of a word in the segmenter's corpus: rare words say more. */
export function idfOf(word: string): number {
  if (!idfTable) {
    idfTable = new Map();
    for (const line of Buffer.from(idf).toString('utf8').split('\n')) {
      const at = line.lastIndexOf(' ');
      if (at > 0) idfTable.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    const values = [...idfTable.values()].sort((a, b) => a - b);
    medianIdf = values[Math.floor(values.length / 2)] ?? medianIdf;
  }
  return idfTable.get(word) ?? medianIdf;
}

/** Precise-mode words of a text, punctuation dropped. */
export function segmentWords(text: string): string[] {
  return segmenter()
    .cut(text, true)
    .map((t) => t.trim())
    .filter((t) => t && !PUNCTUATION.test(t));
}
