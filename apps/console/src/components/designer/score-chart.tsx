import { useTranslation } from 'react-i18next';

/** One unit's score under the pinned versions and under the draft (0 … 100, null without a rate). */
export interface ScoreBar {
  unitId: string;
  month: string;
  before: number | null;
  after: number | null;
}

/** The score changes of a what-if report, one bar pair per unit and month: grey before, red under the draft. */
export function ScoreChart({ bars, title }: { bars: ScoreBar[]; title: string }) {
  const { t } = useTranslation();
  const rowHeight = 34;
  const labelWidth = 220;
  const plotWidth = 420;
  const height = bars.length * rowHeight + 40;
  const x = (score: number | null) => ((score ?? 0) / 100) * plotWidth;
  const summary = bars
    .map((bar) => `${bar.unitId} ${bar.month}: ${bar.before ?? '–'} → ${bar.after ?? '–'}`)
    .join('; ');
  return (
    <figure style={{ margin: 0 }}>
      <figcaption style={{ fontWeight: 600, marginBottom: 4 }}>{title}</figcaption>
      <svg role="img" aria-label={`${title}: ${summary}`} width={labelWidth + plotWidth + 90} height={height}>
        <g transform="translate(0, 20)">
          <rect x={labelWidth} y={-16} width={12} height={10} fill="#9e948d" />
          <text x={labelWidth + 16} y={-7} fontSize={11} fill="#333">
            {t('designer.whatIf.before')}
          </text>
          <rect x={labelWidth + 120} y={-16} width={12} height={10} fill="#b3261e" />
          <text x={labelWidth + 136} y={-7} fontSize={11} fill="#333">
            {t('designer.whatIf.after')}
          </text>
          {bars.map((bar, index) => {
            const y = index * rowHeight + 6;
            const delta = bar.before !== null && bar.after !== null ? bar.after - bar.before : null;
            return (
              <g key={`${bar.unitId}-${bar.month}`} data-testid={`score-bar-${bar.unitId}`}>
                <text x={labelWidth - 8} y={y + 14} fontSize={12} textAnchor="end" fill="#1f1f1f">
                  {bar.unitId} · {bar.month}
                </text>
                <rect x={labelWidth} y={y} width={x(bar.before)} height={11} fill="#9e948d" />
                <rect x={labelWidth} y={y + 13} width={x(bar.after)} height={11} fill="#b3261e" />
                <text
                  x={labelWidth + plotWidth + 8}
                  y={y + 16}
                  fontSize={12}
                  fill={delta && delta < 0 ? '#c41d1d' : '#1f1f1f'}
                >
                  {delta === null ? '–' : `${delta > 0 ? '+' : ''}${delta.toFixed(2)}`}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
    </figure>
  );
}
