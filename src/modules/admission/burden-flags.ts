import type { BurdenFlagKind, ReportingFrequency, StoredBurdenFlag } from './task-request.entity.js';

/** The reporting requirements of a task, as the department states them. */
export interface ReportingRequirements {
  frequency: ReportingFrequency;
  sameDay: boolean;
  forms: string[];
  photos: boolean;
  meetings: boolean;
  responsibilityLetter: boolean;
  assessmentWeight: number | null;
}

/** Reports a township files per month under each frequency (365/12 days, 52/12 weeks); a one-off report recurs 0 times. */
export const REPORTS_PER_MONTH: Record<ReportingFrequency, number> = { DAILY: 365 / 12, WEEKLY: 52 / 12, MONTHLY: 1, ONCE: 0 };

export const FLAG_LABELS: Record<BurdenFlagKind, string> = {
  DAILY_REPORTING: '每日报送',
  WEEKLY_REPORTING: '每周报送',
  SAME_DAY_REPORTING: '当天上报',
  DUPLICATE_FORMS: '重复填报',
  PHOTO_EVIDENCE: '拍照留痕',
  RESPONSIBILITY_LETTER: '签订责任状',
  MEETINGS: '会议',
};

/**
 * Data a township should not be asked to fill in again, and who already holds it: this registry
 * (the lists themselves) or a system of record of another body. A form whose name mentions one
 * of the words is taken to ask for that data.
 */
export const DATA_HOLDINGS: { words: string[]; holder: string }[] = [
  { words: ['权责清单', '权力清单', '责任清单', '职责清单', '履职事项', '事项清单', '职责分工'], holder: '本系统（乡镇履行职责事项清单）' },
  { words: ['户籍', '户口', '常住人口', '人口信息', '人口底数', '人口花名册'], holder: '公安机关的人口信息管理系统' },
  { words: ['低保', '特困', '社会救助', '救助对象', '困难群众'], holder: '民政部门的社会救助信息系统' },
  { words: ['退役军人', '优抚对象'], holder: '退役军人事务部门的信息管理系统' },
  { words: ['残疾人'], holder: '残联的残疾人信息系统' },
  { words: ['企业名录', '市场主体', '个体工商户', '营业执照'], holder: '市场监管部门的市场主体登记系统' },
  { words: ['耕地', '基本农田', '土地利用现状', '国土调查'], holder: '自然资源部门的国土调查数据库' },
  { words: ['宅基地'], holder: '农业农村部门的宅基地审批管理信息系统' },
  { words: ['学籍', '在校生'], holder: '教育部门的学籍管理系统' },
  { words: ['参保', '医保'], holder: '医疗保障部门的医保信息平台' },
  { words: ['出生登记', '生育登记', '出生人口'], holder: '卫生健康部门的人口监测信息系统' },
];

// Words that say how a form is kept, not what it holds: 纸质台账 and 电子台账 ask for the same data twice.
const MEDIUM = /纸质|电子|手工|线上|线下|网上|书面/g;

const YEARLY: Partial<Record<ReportingFrequency, number>> = { DAILY: 365, WEEKLY: 52 };

/**
 * The burden a task's requirements put on a township, each with a short reason a clerk can
 * quote. Decided from the structured requirements alone, whatever the verdict on the task.
 */
export function burdenFlags(r: ReportingRequirements): StoredBurdenFlag[] {
  const flags: StoredBurdenFlag[] = [];
  const add = (kind: BurdenFlagKind, reason: string) => flags.push({ kind, reason });
  const perMonth = Math.round(REPORTS_PER_MONTH[r.frequency]);
  if (r.frequency === 'DAILY') add('DAILY_REPORTING', `要求每天报送：每个乡镇每月约${perMonth}次、每年约${YEARLY.DAILY}次`);
  if (r.frequency === 'WEEKLY') add('WEEKLY_REPORTING', `要求每周报送：每个乡镇每月约${perMonth}次、每年约${YEARLY.WEEKLY}次`);
  if (r.sameDay) add('SAME_DAY_REPORTING', '要求当天完成、当天上报，乡镇没有核实和处理的时间');
  const duplicates = duplicateForms(r.forms);
  if (duplicates.length) add('DUPLICATE_FORMS', duplicates.join('；'));
  if (r.photos) add('PHOTO_EVIDENCE', '要求拍照、录像等留痕材料，以痕迹代替实绩');
  if (r.responsibilityLetter) add('RESPONSIBILITY_LETTER', '要求乡镇签订责任状，把部门责任转给乡镇');
  if (r.meetings) add('MEETINGS', '要求乡镇召开或参加专题会议');
  return flags;
}

/** Why each duplicate form is one: the data is held elsewhere, or the same form is asked for twice. */
export function duplicateForms(forms: string[]): string[] {
  const reasons: string[] = [];
  const seen = new Map<string, string>();
  for (const form of forms) {
    const holding = DATA_HOLDINGS.find((h) => h.words.some((w) => form.includes(w)));
    if (holding) reasons.push(`「${form}」的数据已在${holding.holder}中，应共享调用，不应要求乡镇重复填报`);
    const key = form.replace(MEDIUM, '').replace(/\s+/g, '');
    const earlier = seen.get(key);
    if (earlier !== undefined) reasons.push(`「${form}」与「${earlier}」是同一份数据，重复要求填报`);
    else seen.set(key, form);
  }
  return reasons;
}
