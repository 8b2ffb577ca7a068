import { seriesSegments, type TrendSeries } from '../../pages/oversight/ranking';

const COLOURS = ['#b3261e', '#0b57d0', '#137333', '#8f5b00', '#6a1b9a', '#00695c', '#5f6368'];
const WIDTH = 560;
const HEIGHT = 180;
const LEFT = 36;
const BOTTOM = 24;

/** Lines over months (0–100), one per series, with the months under the axis and a legend; gaps where no figure. */
export function TrendChart({ months, series, title }: { months: string[]; series: TrendSeries[]; title: string }) {
  const step = months.length > 1 ? WIDTH / (months.length - 1) : 0;
  return (
    <figure style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${WIDTH + LEFT + 32} ${HEIGHT + BOTTOM + 12}`}
        width="100%"
        style={{ maxWidth: WIDTH + LEFT + 32 }}
        role="img"
        aria-label={title}
        data-testid="trend-chart"
      >
        <g transform={`translate(${LEFT}, 8)`}>
          {[0, 25, 50, 75, 100].map((value) => {
            const y = HEIGHT - (value / 100) * HEIGHT;
            return (
              <g key={value}>
                <line x1={0} x2={WIDTH} y1={y} y2={y} stroke="#e5e0dc" />
                <text x={-6} y={y + 4} textAnchor="end" fontSize={10} fill="#444">
                  {value}
                </text>
              </g>
            );
          })}
          {months.map((month, i) => (
            <text
              key={month}
              x={months.length > 1 ? i * step : WIDTH / 2}
              y={HEIGHT + 16}
              textAnchor="middle"
              fontSize={10}
              fill="#444"
            >
              {month}
            </text>
          ))}
          {series.map((line, index) => {
            const colour = COLOURS[index % COLOURS.length];
            return (
              <g key={line.unitId}>
                {seriesSegments(line.points, WIDTH, HEIGHT).map((points) => (
                  <polyline key={points} points={points} fill="none" stroke={colour} strokeWidth={2} />
                ))}
                {line.points.map((value, i) =>
                  value === null ? null : (
                    <circle
                      key={i}
                      cx={months.length > 1 ? i * step : WIDTH / 2}
                      cy={HEIGHT - (Math.max(0, Math.min(100, value)) / 100) * HEIGHT}
                      r={3}
                      fill={colour}
                    />
                  ),
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
        {series.map((line, index) => (
          <span key={line.unitId} style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}>
            <span
              aria-hidden
              style={{ width: 14, height: 3, background: COLOURS[index % COLOURS.length], display: 'inline-block' }}
            />
            {line.label} {latest(line.points)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** The last figure of a line, or a dash when it has none. */
function latest(points: readonly (number | null)[]): string {
  const found = [...points].reverse().find((value) => value !== null);
  return found === undefined || found === null ? '—' : found.toFixed(1);
}
