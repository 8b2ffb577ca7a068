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
