import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { type DiagramBox, layoutDiagram } from './ladder-layout';

/** A rung's body in words: `committee:street` → 街道协调委员会. */
export function bodyLabel(t: TFunction, body: string): string {
  const [kind, value] = body.split(':');
  if (kind === 'serviceCentre') return t('designer.body.serviceCentre');
  if (kind === '?') return t('designer.body.none');
  const level = t(`designer.level.${value}`, { defaultValue: value });
  return t(`designer.body.${kind}`, { value: level });
}

function Box({ box, kind, t }: { box: DiagramBox; kind: 'stage' | 'rung'; t: TFunction }) {
  const title = kind === 'stage' ? t(`designer.stage.${box.id}`) : box.title;
  const sub =
    kind === 'stage' ? (box.deadline ? `${t('designer.diagram.limit')} ${box.deadline}` : '') : bodyLabel(t, box.body);
  const fill = box.broken ? '#fde8e8' : kind === 'stage' ? '#f3efe9' : box.final ? '#fbe3dd' : '#ffffff';
  const stroke = box.broken ? '#c41d1d' : kind === 'stage' ? '#8a7b70' : '#b3261e';
  return (
    <g data-testid={`${kind}-${box.id}`}>
      <rect
        x={box.x}
        y={box.y}
        width={box.width}
        height={box.height}
        rx={8}
        fill={fill}
        stroke={stroke}
        strokeWidth={1.5}
      />
      <text x={box.x + 10} y={box.y + 22} fontSize={13} fontWeight={600} fill="#1f1f1f">
        {clip(title, box.width - 16, 13)}
      </text>
      <text x={box.x + 10} y={box.y + 40} fontSize={11} fill="#4a4a4a">
        {clip(sub, box.width - 16, 11)}
      </text>
      {kind === 'rung' && (
        <text
          x={box.x + 10}
          y={box.y + 56}
          fontSize={11}
          fill={box.deadline ? '#0b57d0' : '#4a4a4a'}
          data-testid={`rung-deadline-${box.id}`}
        >
          {clip(
            (box.deadline
              ? `${t('designer.diagram.deadline')} ${box.deadline}`
              : box.final
                ? t('designer.diagram.final')
                : t('designer.diagram.noDeadline')) +
              (box.supervision
                ? ` · ${t(`designer.supervision.${box.supervision}`, { defaultValue: box.supervision })}`
                : ''),
            box.width - 16,
            11,
          )}
        </text>
      )}
    </g>
  );
}

/** `text` cut to fit `width` pixels at `size` px (a CJK character is about 1 em wide, others about 0.6 em). */
export function clip(text: string, width: number, size: number): string {
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    used += (/[\u2e80-\uffef]/.test(text[i]) ? 1 : 0.6) * size;
    if (used > width) return `${text.slice(0, Math.max(0, i - 1))}…`;
  }
  return text;
}

/**
 * The stages of a case and the escalation ladder of a definition (a draft as it is edited, or a published version),
 * drawn in SVG: each rung with its body and deadline, each climb labelled with the time that triggers it.
 */
export function LadderDiagram({ definition, title, testId }: { definition: unknown; title: string; testId?: string }) {
  const { t } = useTranslation();
  const layout = layoutDiagram(definition);
  const description = layout.rungs
    .map((rung) => `${rung.title} (${bodyLabel(t, rung.body)}${rung.deadline ? `, ${rung.deadline}` : ''})`)
    .join(' → ');
  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <figcaption style={{ fontWeight: 600, marginBottom: 4 }}>{title}</figcaption>
      <div style={{ border: '1px solid #eee', borderRadius: 8, background: '#fffdfb' }}>
        <svg
          role="img"
          aria-label={`${title}: ${description}`}
          width="100%"
          style={{ maxWidth: layout.width, display: 'block' }}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
        >
          <defs>
            <marker
              id={`arrow-${testId ?? 'd'}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#6b5d55" />
            </marker>
          </defs>
          {layout.arrows.map((arrow) => (
            <g key={`${arrow.from}-${arrow.to}`}>
              <polyline
                points={[{ x: arrow.x1, y: arrow.y1 }, ...(arrow.via ?? []), { x: arrow.x2, y: arrow.y2 }]
                  .map((point) => `${point.x},${point.y}`)
                  .join(' ')}
                fill="none"
                stroke="#6b5d55"
                strokeWidth={1.5}
                markerEnd={`url(#arrow-${testId ?? 'd'})`}
              />
              {arrow.label && (
                <text x={(arrow.x1 + arrow.x2) / 2} y={arrow.y1 - 6} fontSize={11} textAnchor="middle" fill="#0b57d0">
                  {arrow.label}
                </text>
              )}
            </g>
          ))}
          {layout.stages.map((box) => (
            <Box key={box.id} box={box} kind="stage" t={t} />
          ))}
          {layout.rungs.map((box) => (
            <Box key={box.id} box={box} kind="rung" t={t} />
          ))}
        </svg>
      </div>
    </figure>
  );
}
