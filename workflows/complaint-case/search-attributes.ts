import { defineSearchAttributeKey, SearchAttributeType, SearchAttributeUpdatePair } from '@temporalio/common';
import { CASE_SEARCH_ATTRIBUTES as A } from '../../libs/domain/src/case/search-attributes';
import type { CaseSnapshot } from './messages';

const statusKey = defineSearchAttributeKey(A.status.name, SearchAttributeType.KEYWORD);
const stageKey = defineSearchAttributeKey(A.stage.name, SearchAttributeType.KEYWORD);
const categoryKey = defineSearchAttributeKey(A.category.name, SearchAttributeType.KEYWORD);
const rulesVersionKey = defineSearchAttributeKey(A.rulesVersion.name, SearchAttributeType.KEYWORD);
const streetKey = defineSearchAttributeKey(A.street.name, SearchAttributeType.KEYWORD);
const districtKey = defineSearchAttributeKey(A.district.name, SearchAttributeType.KEYWORD);

/** The search attributes a case snapshot implies; operational facts only, never personal data. */
export function caseSearchAttributes(snapshot: CaseSnapshot): SearchAttributeUpdatePair[] {
  const pairs: SearchAttributeUpdatePair[] = [
    { key: statusKey, value: snapshot.status },
    { key: stageKey, value: snapshot.stage },
    { key: categoryKey, value: snapshot.facts.category },
    { key: rulesVersionKey, value: snapshot.rulesVersion },
  ];
  if (snapshot.facts.place.streetId) pairs.push({ key: streetKey, value: snapshot.facts.place.streetId });
  if (snapshot.facts.place.districtId) pairs.push({ key: districtKey, value: snapshot.facts.place.districtId });
  return pairs;
}
