// On a cluster (and on the time-skipping test server) nobody passes --search-attribute at start, so the
// service registers what is missing.
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

const grpcCode = (err: unknown): number | undefined => (err as { code?: number })?.code;
const UNIMPLEMENTED = 12;
const ALREADY_EXISTS = 6;

/** Registers the project's search attributes that the namespace lacks; returns the names added. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let known = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set(Object.keys(existing.customAttributes ?? {}));
  } catch (err) {
    // The time-skipping test server can add search attributes but not list them.
    if (grpcCode(err) !== UNIMPLEMENTED) throw err;
  }
  const added: string[] = [];
  for (const key of SEARCH_ATTRIBUTES.filter((k) => !known.has(k.name))) {
    const type = INDEXED[key.type];
    if (type === undefined) throw new Error(`no indexed type for ${key.type}`);
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [key.name]: type } });
      added.push(key.name);
    } catch (err) {
      if (grpcCode(err) !== ALREADY_EXISTS) throw err;
    }
  }
  return added;
}
