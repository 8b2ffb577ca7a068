import type { CaseFacts } from '../case/case.types';
import type { Actor } from '../lifecycle/lifecycle.types';
import type { RoutingCategory } from '../routing/routing.types';

/** One reason intake refuses a patrol finding: the request field it is about, the rule and a sentence. */
export interface PatrolProblem {
  /** The request field: `category`, `channel` or `place.gridId`. */
  readonly field: string;
  /** `patrol-by-grid-worker`, `patrol-channel` or `own-grid`. */
  readonly rule: string;
  readonly message: string;
}

/**
 * Why intake refuses this request as a patrol finding, or undefined when it may be filed. A category flagged
 * `patrol` (巡查发现: what grid workers find on patrol, Nanjing's 大联勤 信息采集) is filed only:
 *
 * 1. by a grid worker: an authenticated handler whose unit is a grid (`patrol-by-grid-worker`, field `category`);
 * 2. through the grid channel (`patrol-channel`, field `channel`);
 * 3. from the worker's own grid: `place.gridId` is the worker's unit (`own-grid`, field `place.gridId`).
 *
 * Any other category is not a patrol finding and is never refused here (a grid worker may record a citizen's request
 * like anyone else). `filer` is the authenticated caller, undefined for an anonymous one.
 */
export function patrolProblem(
  category: Pick<RoutingCategory, 'id' | 'patrol'>,
  facts: Pick<CaseFacts, 'channel' | 'place'>,
  filer: Pick<Actor, 'role' | 'unitId' | 'unitKind'> | undefined,
): PatrolProblem | undefined {
  if (category.patrol !== true) return undefined;
  if (!filer || filer.role !== 'handler' || filer.unitKind !== 'grid') {
    const who = filer ? `a ${filer.role} of ${filer.unitId}` : 'an anonymous caller';
    return {
      field: 'category',
      rule: 'patrol-by-grid-worker',
      message: `category '${category.id}' is a patrol finding: only a grid worker (a handler of a grid) files it, not ${who}`,
    };
  }
  if (facts.channel !== 'grid') {
    return {
      field: 'channel',
      rule: 'patrol-channel',
      message: `a patrol finding comes in through the grid channel, not '${facts.channel}'`,
    };
  }
  const gridId = facts.place?.gridId;
  if (gridId !== filer.unitId) {
    return {
      field: 'place.gridId',
      rule: 'own-grid',
      message: `a grid worker files patrol findings from their own grid ${filer.unitId}, not ${gridId ?? 'no grid'}`,
    };
  }
  return undefined;
}
