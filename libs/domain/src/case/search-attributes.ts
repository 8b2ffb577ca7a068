/**
 * Custom search attributes of a case workflow. They are stored in clear in Temporal's visibility store, so they
 * carry only operational facts: never a citizen's name, phone, address or description.
 *
 * Names are recorded in workflow histories and visibility: never rename one.
 */
export const CASE_SEARCH_ATTRIBUTES = {
  status: { name: 'CaseStatus', type: 'Keyword' },
  stage: { name: 'CaseStage', type: 'Keyword' },
  category: { name: 'CaseCategory', type: 'Keyword' },
  responsibleUnit: { name: 'ResponsibleUnit', type: 'Keyword' },
  street: { name: 'CaseStreet', type: 'Keyword' },
  district: { name: 'CaseDistrict', type: 'Keyword' },
  /** Position on the ladder: 0 not escalated, 1 the first rung, … */
  escalationLevel: { name: 'EscalationLevel', type: 'Int' },
  /** Id of the rung of the pinned ladder the case is on (cases pinned to a ladder from their process version). */
  escalationRung: { name: 'EscalationRung', type: 'Keyword' },
  nextDeadline: { name: 'NextDeadline', type: 'Datetime' },
  overdue: { name: 'Overdue', type: 'Bool' },
  rulesVersion: { name: 'RulesVersion', type: 'Keyword' },
} as const;

export type CaseSearchAttribute = (typeof CASE_SEARCH_ATTRIBUTES)[keyof typeof CASE_SEARCH_ATTRIBUTES];
