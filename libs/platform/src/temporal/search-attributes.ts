import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CASE_SEARCH_ATTRIBUTES, CaseSearchAttribute } from '../../../domain/src/case/search-attributes';

/** Every custom search attribute Shaosheng's workflows set, as `name=Type` pairs for the dev server. */
export const SEARCH_ATTRIBUTES: readonly CaseSearchAttribute[] = Object.values(CASE_SEARCH_ATTRIBUTES);

const INDEXED_VALUE_TYPE: Record<CaseSearchAttribute['type'], temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/**
 * Registers the missing search attributes on an external (self-hosted) cluster through the operator service.
 * Returns the names it added. Managed clusters that refuse the operator call must register them in their console.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let missing: CaseSearchAttribute[];
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    missing = SEARCH_ATTRIBUTES.filter((attribute) => !(attribute.name in (existing.customAttributes ?? {})));
  } catch (error) {
    // The time-skipping test server implements adding search attributes but not listing them.
    if ((error as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw error;
    missing = [...SEARCH_ATTRIBUTES];
  }
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((attribute) => [attribute.name, INDEXED_VALUE_TYPE[attribute.type]]),
    ),
  });
  return missing.map((attribute) => attribute.name);
}

const GRPC_UNIMPLEMENTED = 12;
