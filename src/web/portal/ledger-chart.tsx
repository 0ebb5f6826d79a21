import type { BurdenLedgerRowModel } from '../../modules/admission/admission.model.js';

/** The verdict segments of a bar, in the colours of the site's role badges (site.css) plus red for 清单外. */
export const VERDICT_SEGMENTS: { key: keyof BurdenLedgerRowModel['verdicts']; label: string; colour: string }[] = [
  { key: 'inListLead', label: '基本履职', colour: '#1a7f37' },
  { key: 'inListCooperate', label: '配合履职', colour: '#9a6700' },
  { key: 'reclaimed', label: '已收回', colour: '#6e40c9' },
  { key: 'notInList', label: '清单外', colour: '#cf222e' },
];

// Names above their bars: the chart stays readable on a phone's width (viewBox 400 wide).
const WIDTH = 400;
const BAR_AREA = 350;
const ROW = 46;
const BAR = 16;
const TOP = 34;

/**
 * Each department's requests as a horizontal bar of target townships, split by verdict: drawn on
 * the server as SVG (no script, no inline style — presentation attributes only), so it shows
 * without JavaScript and prints. The numbers are in the table beside it as well; the SVG's
 * title and description say what it shows for screen readers.
 */
export function VerdictChart({ rows }: { rows: BurdenLedgerRowModel[] }) {
  const max = Math.max(1, ...rows.map((r) => r.targets));
  const height = TOP + rows.length * ROW;
  const scale = (n: number) => (n / max) * BAR_AREA;
  return (
    <svg class="ledger-chart" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby="ledger-chart-title ledger-chart-desc">
      <title id="ledger-chart-title">各部门派发任务的判定结果（按乡镇次数）</title>
      <desc id="ledger-chart-desc">
        {rows.map((r) => `${r.body?.name ?? ''}：${VERDICT_SEGMENTS.map((s) => `${s.label}${r.verdicts[s.key]}`).join('，')}`).join('；')}
      </desc>
      <g font-size="13">
        {VERDICT_SEGMENTS.map((s, i) => (
          <g>
            <rect x={i * 92} y={6} width={14} height={14} fill={s.colour} />
            <text x={i * 92 + 19} y={18} fill="#1f2328">
              {s.label}
            </text>
          </g>
        ))}
      </g>
      {rows.map((r, i) => {
        const y = TOP + i * ROW;
        let x = 0;
        return (
          <g font-size="13">
            <text x={0} y={y + 14} fill="#1f2328">
              {r.body?.name ?? ''}
            </text>
            {VERDICT_SEGMENTS.map((s) => {
              const w = scale(r.verdicts[s.key]);
              const rect = w > 0 ? <rect x={x} y={y + 20} width={w} height={BAR} fill={s.colour} /> : null;
              x += w;
              return rect;
            })}
            <text x={x + 6} y={y + 33} fill="#57606a">
              {r.targets}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
