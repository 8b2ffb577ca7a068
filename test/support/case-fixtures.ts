import { randomUUID } from 'node:crypto';
import type { ComplaintCaseInput } from '../../workflows/complaint-case/messages';

/**
 * Input of a noise complaint in 西苑社区 (湖滨街道, 东湖区) of the demo city: routed directly to the street with a
 * copy to the district, with a committee at every level of the ladder.
 */
export function noiseComplaintInput(caseNo: string, receivedAt = new Date().toISOString()): ComplaintCaseInput {
  return {
    caseNo,
    receivedAt,
    rulesVersion: 'beijing@1',
    facts: {
      kind: 'complaint',
      category: 'noise-nuisance',
      urgency: 'normal',
      channel: 'hotline',
      place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    },
  };
}

/**
 * The body of `POST /api/v1/cases` for a noise complaint in 西苑社区 (湖滨街道, 东湖区), at an address of its own so
 * intake never links it to another test's open case as a duplicate. `overrides` replace top-level fields.
 */
export function noiseComplaintBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'complaint',
    category: 'noise-nuisance',
    channel: 'hotline',
    description: '楼下商铺夜间噪声扰民',
    address: `示范市东湖区湖滨路${randomUUID().slice(0, 8)}号`,
    citizen: { name: '李女士', phone: '13900001111' },
    place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    ...overrides,
  };
}
