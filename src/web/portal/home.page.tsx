import type { WebAssets } from '../web-assets.js';
import { PortalPage } from './portal-frame.js';

/** The portal's front page: the question box, and what the lists are. */
export function HomePage({ assets, today }: { assets: WebAssets; today: string }) {
  return (
    <PortalPage assets={assets} title="首页">
      <h1>这件事归谁管？</h1>
      <p>输入乡镇（街道）或县（市、区）的名称，再用平常的话说说是什么事，查看现行清单中由谁负责、谁配合、依据哪条法律。</p>
      <form class="stack" method="get" action="/ask" role="search">
        <div>
          <label for="region">
            地区 <span class="hint">乡镇（街道）或县（市、区）名称，如“张渚镇”“宜兴市”，也可填区划代码</span>
          </label>
          <input id="region" name="region" type="text" required autocomplete="off" />
        </div>
        <div>
          <label for="q">
            什么事 <span class="hint">如“村口有人乱搭棚子”“收完麦子烧地冒黑烟”</span>
          </label>
          <input id="q" name="q" type="search" required maxLength={200} />
        </div>
        <div>
          <label for="asOf">
            日期 <span class="hint">可不填，默认今天（{today}）；查历史上某天的清单时填写</span>
          </label>
          <input id="asOf" name="asOf" type="date" />
        </div>
        <div>
          <button type="submit">查询</button>
        </div>
      </form>
      <h2>什么是权力清单和责任清单</h2>
      <p>
        每个乡镇（街道）都公布《履行职责事项清单》，分为三部分：<strong>基本履职事项</strong>（乡镇自己负责的事）、
        <strong>配合履职事项</strong>（由县级部门牵头、乡镇配合的事）和<strong>上级部门收回事项</strong>
        （已由县级部门收回、不再由乡镇承担的事）。权力清单列出乡镇依法行使的行政权力。
      </p>
      <p>
        清单经合法性审查后发布，每次调整都是一个新版本，旧版本和修改记录都可查阅。本网站只显示已发布的清单。
      </p>
    </PortalPage>
  );
}
