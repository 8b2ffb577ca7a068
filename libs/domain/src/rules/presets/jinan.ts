import { CategoryDeadlines, RoutingCatalogue } from '../../routing/routing.types';
import { ProcessDefinition } from '../process-definition';
import { PresetCity } from './preset-city';
import { beijingPreset } from './beijing';

/** Ordinary handling in 5 working days instead of 7 (Jinan and Weifang); other limits as in the city's catalogue. */
function jinanDeadlines(deadlines: CategoryDeadlines): CategoryDeadlines {
  if (deadlines.normal.handle !== '7WD') return deadlines;
  return { ...deadlines, normal: { ...deadlines.normal, handle: '5WD' } };
}

/** The city's catalogue with Jinan's 5-working-day handling limit. */
function jinanCatalogue(catalogue: RoutingCatalogue): RoutingCatalogue {
  return {
    ...catalogue,
    id: `${catalogue.id}-jinan`,
    name: `${catalogue.name}（济南5个工作日）`,
    categories: catalogue.categories.map((category) => ({
      ...category,
      deadlines: jinanDeadlines(category.deadlines),
    })),
  };
}

/**
 * `jinan`: Jinan's 12345 hotline. Differences from `beijing`: ordinary requests are handled in 5 working days; a
 * dissatisfied citizen sends the case back for re-handling; a case the units cannot settle is taken up by the city,
 * not by committees: the hotline convenes the units (会商), then the city government office coordinates, then the
 * city government's executive meeting decides. A case climbs exactly these three rungs.
 */
export function jinanPreset(city: PresetCity): ProcessDefinition {
  const BEIJING_DEFINITION = beijingPreset(city);
  return {
    ...BEIJING_DEFINITION,
    id: 'jinan',
    name: '济南12345',
    description:
      'Jinan 12345: 5 working days to handle; dissatisfaction returns the case for re-handling; hard cases climb ' +
      'from the hotline convening the units to the city government office and the executive meeting.',
    jurisdiction: { cityId: city.cityId },
    routing: jinanCatalogue(city.catalogue),
    lifecycle: {
      ...BEIJING_DEFINITION.lifecycle,
      ladder: {
        rungs: [
          {
            id: 'hotline-convenes',
            name: '12345热线会商',
            coordinator: { serviceCentre: true },
            role: 'operator',
            actions: ['convene', 'instruct', 'reassign'],
            deadline: '5WD',
            next: 'city-government-office',
          },
          {
            id: 'city-government-office',
            name: '市政府办公厅协调',
            coordinator: { office: 'government-office' },
            actions: ['instruct', 'reassign', 'convene'],
            deadline: '5WD',
            next: 'executive-meeting',
          },
          {
            id: 'executive-meeting',
            name: '市政府常务会议研究',
            coordinator: { office: 'executive-meeting' },
            supervision: 'posted',
            actions: ['decide'],
          },
        ],
      },
    },
  };
}
