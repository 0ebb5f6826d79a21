import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import type { QueuedQuestion, QueueReason } from '../../modules/accountability/question-log.service.js';
import { regionPrefix } from '../../modules/regions/region-code.js';
import { ConsolePage, Csrf, FieldError, Flash, FormError, type ConsoleView, type FormErrors } from './console-frame.js';

const REASON_LABEL: Record<QueueReason, string> = { NO_ANSWER: '无答复', LOW_CONFIDENCE: '答复置信度低', MARKED_WRONG: '群众反馈答错' };

/**
 * 群众提问: the public's questions of the region that found nothing, found something weak or were
 * marked wrong (questionQueue), each with the mapping action (mapQuestion): the phrase as a 常见问法
 * of the right item in its list's draft, or — an administrator — as a county-wide synonym.
 */
export function QuestionsPage({
  view,
  region,
  questions,
  done,
  form,
  errors,
  values,
}: {
  view: ConsoleView;
  region: { code: string; name: string } | null;
  questions: QueuedQuestion[];
  done?: string;
  form?: string;
  errors?: FormErrors;
  values?: Record<string, string>;
}) {
  const synonyms = can(view.actor as Actor, Permission.MANAGE_CATALOGUE);
  return (
    <ConsolePage view={view} title="群众提问">
      <h1>群众提问{region ? `：${region.name}` : ''}</h1>
      <Flash done={done} />
      <p class="muted">
        公众查询“谁负责”时没有找到答复、答复把握不大，或被反馈“答得不对”的提问。把提问对应到正确的事项：加为该事项的常见问法（写入清单草稿，随下一版本发布生效）
        {synonyms ? '，或加为同义词（对所有地区立即生效）' : ''}。
      </p>
      <form class="stack" method="get" action="/console/questions">
        <div>
          <label for="questions-region">区划代码</label>
          <input id="questions-region" name="region" type="text" value={region ? regionPrefix(region.code) : ''} />
        </div>
        <div>
          <button type="submit" class="secondary">查看</button>
        </div>
      </form>
      <FormError errors={form === 'region' ? errors : undefined} fields={[]} />
      {region && questions.length === 0 && <p class="notice">没有待处理的提问。</p>}
      {questions.map((q) => {
        const at = form === `map:${q.id}` ? errors : undefined;
        const id = (name: string) => `q-${q.id}-${name}`;
        const invalid = (name: string) => (at?.[name] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id(name)}-error` } : {});
        return (
          <section class="card" aria-labelledby={id('title')}>
            <h2 id={id('title')}>“{q.question}”</h2>
            <p class="small">
              {REASON_LABEL[q.reason]}；问过 {q.timesAsked} 次，最近 {q.lastAskedOn}；答复 {q.resultCount} 条
              {q.topItemName ? `，排在第一的是“${q.topItemName}”（${q.topItemCode}）` : ''}
              {q.notHelpful > 0 ? `；${q.notHelpful} 人反馈答得不对` : ''}
            </p>
            <FormError errors={at} fields={['itemCode', 'phrase', 'as']} />
            <form class="stack" method="post" action={`/console/questions/${q.id}/map`}>
              <Csrf view={view} />
              <input type="hidden" name="region" value={region?.code ?? ''} />
              <div>
                <label for={id('itemCode')}>正确的事项编码</label>
                <input id={id('itemCode')} name="itemCode" type="text" required value={at ? (values?.itemCode ?? '') : (q.topItemCode ?? '')} {...invalid('itemCode')} />
                <FieldError errors={at} field="itemCode" id={`${id('itemCode')}-error`} />
              </div>
              <div>
                <label for={id('phrase')}>
                  问法 <span class="hint">默认为提问原文（去掉标点），不超过50个字</span>
                </label>
                <input id={id('phrase')} name="phrase" type="text" value={at ? (values?.phrase ?? '') : q.question} {...invalid('phrase')} />
                <FieldError errors={at} field="phrase" id={`${id('phrase')}-error`} />
              </div>
              <div>
                <label for={id('as')}>加为</label>
                <select id={id('as')} name="as" {...invalid('as')}>
                  <option value="ITEM_ALIAS">该事项的常见问法（清单草稿）</option>
                  {synonyms && <option value="SYNONYM">同义词（所有地区）</option>}
                </select>
                <FieldError errors={at} field="as" id={`${id('as')}-error`} />
              </div>
              <div>
                <button type="submit">对应到该事项</button>
              </div>
            </form>
          </section>
        );
      })}
    </ConsolePage>
  );
}
