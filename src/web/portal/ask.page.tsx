import type { AccountabilityResultModel } from '../../modules/accountability/accountability.model.js';
import type { BodyNames } from '../../modules/lists/item-fields.js';
import type { CitationModel } from '../../modules/lists/list.model.js';
import type { RegionEntity } from '../../modules/regions/region.entity.js';
import type { WebAssets } from '../web-assets.js';
import { Bodies, Breadcrumb, Citations, RoleBadge, shortCode, VersionLine } from './list-parts.js';
import { PortalPage } from './portal-frame.js';

export interface AskForm {
  region: string;
  q: string;
  asOf: string;
}

/** The question form, filled with what was asked (used on the answer page and the choices page). */
export function AskFormFields({ form, today }: { form: AskForm; today: string }) {
  return (
    <form class="stack no-print" method="get" action="/ask" role="search">
      <div>
        <label for="region">
          地区 <span class="hint">乡镇（街道）或县（市、区）名称，或区划代码</span>
        </label>
        <input id="region" name="region" type="text" required autocomplete="off" value={form.region} />
      </div>
      <div>
        <label for="q">什么事</label>
        <input id="q" name="q" type="search" required maxLength={200} value={form.q} />
      </div>
      <div>
        <label for="asOf">
          日期 <span class="hint">可不填，默认今天（{today}）</span>
        </label>
        <input id="asOf" name="asOf" type="date" value={form.asOf} />
      </div>
      <div>
        <button type="submit">查询</button>
      </div>
    </form>
  );
}

export const askUrl = (region: string, q: string, asOf: string, path = '/ask') => {
  const p = new URLSearchParams({ region, q });
  if (asOf) p.set('asOf', asOf);
  return `${path}?${p.toString()}`;
};

/** A typed name that names several regions (or none): the reader picks one. */
export function RegionChoicesPage({ assets, form, choices, today }: { assets: WebAssets; form: AskForm; choices: RegionEntity[]; today: string }) {
  return (
    <PortalPage assets={assets} title="请选择地区">
      <h1>请选择地区</h1>
      {choices.length ? (
        <>
          <p>名称“{form.region}”对应以下地区，请选择一个：</p>
          <ul>
            {choices.map((r) => (
              <li>
                <a href={askUrl(shortCode(r), form.q, form.asOf)}>{r.name}</a>
                <span class="muted small">
                  {' '}
                  （{r.level === 'COUNTY' ? '县（市、区）' : '乡镇（街道）'}，代码 {r.code}）
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="notice warn">没有找到名为“{form.region}”的乡镇（街道）或县（市、区）。请检查名称，或填写区划代码。</p>
      )}
      <AskFormFields form={form} today={today} />
    </PortalPage>
  );
}

export interface AskPageProps {
  assets: WebAssets;
  form: AskForm;
  region: RegionEntity;
  result: AccountabilityResultModel;
  names: BodyNames;
  citations: Map<string, CitationModel[]>;
  townships: Map<string, string>;
  today: string;
}

/** The answers of whoIsAccountable in plain words; an empty answer says why, with links. */
export function AskPage({ assets, form, region, result, names, citations, townships, today }: AskPageProps) {
  const code9 = shortCode(region);
  return (
    <PortalPage assets={assets} title={`${form.q} · ${region.name}`}>
      <Breadcrumb links={[{ href: '/', label: '首页' }, { href: `/regions/${code9}`, label: region.name }, { label: '问一问' }]} />
      <h1>“{result.question}”归谁管？</h1>
      <p class="muted">
        {region.name} · 按 {result.asOf} 现行有效的清单答复
        {result.terms.length ? ` · 理解为：${result.terms.join('、')}` : ''}
      </p>
      {result.answers.length ? (
        <ol class="plain answers">
          {result.answers.map((a, i) => {
            const accountable = names.get(a.accountableBodyId) ?? '';
            const township = townships.get(a.townshipCode) ?? '';
            const itemUrl = `/regions/${a.townshipCode.slice(0, 9)}/items/${encodeURIComponent(a.item.itemCode)}?asOf=${result.asOf}`;
            return (
              <li class="card">
                <h2>
                  {i + 1}. <a href={itemUrl}>{a.item.name}</a>
                </h2>
                <p>
                  <RoleBadge role={a.townshipRole} accountable={accountable} />
                  {region.level === 'COUNTY' ? <span class="muted"> {township}</span> : null}
                </p>
                {a.item.description ? <p>{a.item.description}</p> : null}
                <Bodies item={a.item} names={names} />
                <h3>法律依据</h3>
                <Citations citations={citations.get(a.itemId) ?? []} />
                <p class="small muted">
                  出自 {township}
                  <VersionLine version={a.version} today={today} />
                </p>
                <p class="small no-print">
                  <a href={itemUrl}>事项详情和历史</a> · <a href={`${itemUrl.replace('?', '/proof?')}`}>打印证明</a>
                </p>
                <AnswerFeedback question={result.question} regionCode={region.code} itemCode={a.item.itemCode} asOf={form.asOf} prompt="这条答复对吗？" />
              </li>
            );
          })}
        </ol>
      ) : (
        <EmptyAnswer result={result} region={region} code9={code9} today={today} form={form} />
      )}
      <h2 class="no-print">再问一个</h2>
      <AskFormFields form={form} today={today} />
    </PortalPage>
  );
}

function EmptyAnswer({ result, region, code9, today, form }: { result: AccountabilityResultModel; region: RegionEntity; code9: string; today: string; form: AskForm }) {
  const wholeList = <a href={`/regions/${code9}`}>查看{region.name}的全部清单</a>;
  switch (result.emptyReason) {
    case 'NO_LIST_IN_FORCE':
      return (
        <div class="notice warn" role="status">
          <p>
            <strong>{result.asOf}，{region.name}没有现行有效的清单。</strong>
            {result.asOf < today ? '所查日期早于清单施行的日期，或该地区尚未发布清单。' : '该地区尚未发布清单。'}
          </p>
          <p>{wholeList}（含清单的施行日期和历史版本）。</p>
        </div>
      );
    case 'REMOVED_IN_VERSION': {
      const v = result.removedIn!;
      const item = result.removedItem!;
      return (
        <div class="notice warn" role="status">
          <p>
            <strong>
              “{item.name}”已从清单中删除：{v.effectiveFrom} 起施行的 v{v.number}（批准文号 {v.approvalDocNumber}）不再列入这一事项。
            </strong>
          </p>
          <p>
            <a href={`/versions/${v.id}`}>查看 v{v.number} 及其修改内容</a> · <a href={`/regions/${v.regionCode.slice(0, 9)}/items/${encodeURIComponent(item.itemCode)}`}>该事项的历史</a> · {wholeList}
          </p>
        </div>
      );
    }
    default:
      return (
        <div class="notice" role="status">
          <p>
            <strong>{region.name}在 {result.asOf} 现行有效的清单中，没有与“{result.question}”相符的事项。</strong>
          </p>
          <p>
            {wholeList} · <a href={askUrl(form.region, form.q, form.asOf, '/ask/statement')}>打印“清单中无此事项”的说明</a>
          </p>
          <AnswerFeedback question={result.question} regionCode={region.code} itemCode={null} asOf={form.asOf} prompt="清单里应该有这一事项？" />
        </div>
      );
  }
}

/**
 * "Was this right?" for one answer (or for an empty one, without an item): a plain form that
 * posts to /feedback/answers and gets a thank-you page back, no script needed.
 */
function AnswerFeedback({ question, regionCode, itemCode, asOf, prompt }: { question: string; regionCode: string; itemCode: string | null; asOf: string; prompt: string }) {
  return (
    <form class="feedback small no-print" method="post" action="/feedback/answers" aria-label="答复反馈">
      <input type="hidden" name="question" value={question} />
      <input type="hidden" name="regionCode" value={regionCode.trim()} />
      {itemCode ? <input type="hidden" name="itemCode" value={itemCode} /> : null}
      {asOf ? <input type="hidden" name="asOf" value={asOf} /> : null}
      <span>{prompt}</span>{' '}
      {itemCode ? (
        <>
          <button type="submit" class="small-button" name="helpful" value="true">
            答对了
          </button>{' '}
          <button type="submit" class="small-button secondary" name="helpful" value="false">
            不对
          </button>
        </>
      ) : (
        <button type="submit" class="small-button secondary" name="helpful" value="false">
          是，应该有
        </button>
      )}
    </form>
  );
}
