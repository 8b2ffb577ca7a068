import { useTranslation } from 'react-i18next';
import { DENSITY_STEPS, densityLegend, densityStep, pathOf, type CityMap } from './city-map';

/**
 * The city map as SVG: each street coloured by its figure (`values`, e.g. cases of a category in a month), district
 * names over their streets, a legend; a street is a button (keyboard and mouse) that selects it.
 */
export function CityMapSvg({
  map,
  values,
  selected,
  onSelect,
  title,
}: {
  map: CityMap;
  values: ReadonlyMap<string, number>;
  selected?: string;
  onSelect?: (streetId: string) => void;
  title: string;
}) {
  const { t } = useTranslation();
  const max = Math.max(0, ...values.values());
  return (
    <figure style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${map.width} ${map.height}`}
        width="100%"
        style={{ maxWidth: map.width, background: '#fbfaf8', border: '1px solid #e5e0dc', borderRadius: 8 }}
        role="group"
        aria-label={title}
        data-testid="city-map"
      >
        {map.areas.map((area) => {
          const value = values.get(area.id) ?? 0;
          const fill = DENSITY_STEPS[densityStep(value, max)];
          const label = t('oversight.hotspots.areaLabel', { name: area.name, count: value });
          return (
            <g
              key={area.id}
              role="button"
              tabIndex={0}
              aria-label={label}
              aria-pressed={selected === area.id}
              data-street={area.id}
              data-cases={value}
              style={{ cursor: onSelect ? 'pointer' : 'default', outline: 'none' }}
              onClick={() => onSelect?.(area.id)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onSelect?.(area.id);
                }
              }}
            >
              <title>{label}</title>
              <path
                d={pathOf(area.polygons)}
                fill={fill}
                stroke={selected === area.id ? '#1f1f1f' : '#8c7f78'}
                strokeWidth={selected === area.id ? 2.5 : 0.8}
                strokeLinejoin="round"
              />
            </g>
          );
        })}
        {map.areas.map((area) => (
          <text
            key={`label-${area.id}`}
            x={area.label.x}
            y={area.label.y}
            textAnchor="middle"
            fontSize={11}
            fill="#1f1f1f"
            stroke="#fff"
            strokeWidth={3}
            paintOrder="stroke"
            pointerEvents="none"
          >
            {area.name}
            {values.get(area.id) ? ` ${values.get(area.id)}` : ''}
          </text>
        ))}
        {map.districts.map((district) => (
          <text
            key={`district-${district.id}`}
            x={district.label.x}
            y={district.label.y}
            textAnchor="middle"
            fontSize={14}
            fontWeight={700}
            fill="#5c2a1e"
            stroke="#fff"
            strokeWidth={4}
            paintOrder="stroke"
            pointerEvents="none"
          >
            {district.name}
          </text>
        ))}
      </svg>
      <figcaption style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 8, flexWrap: 'wrap' }}>
        <span>{t('oversight.hotspots.legend')}</span>
        {densityLegend(max).map(({ step, label }) => (
          <span key={step} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <span
              aria-hidden
              style={{
                width: 18,
                height: 12,
                background: DENSITY_STEPS[step],
                border: '1px solid #8c7f78',
                display: 'inline-block',
              }}
            />
            {label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
