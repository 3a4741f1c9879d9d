// `bulkId:xyz` references (RFC 7644 §3.7.2): found anywhere in an operation's path or data, replaced by
// the id of the resource created by the POST that carried that bulkId. One definition serves the scanner,
// the resolver and the check on the bulkIds themselves: a reference ends at whitespace, "/" (a path goes on)
// or '"' (a filter's quoted value ends), and `bulkId:X` is a reference only when a POST defines X; any
// other mention is data.
const BULK_ID = String.raw`[^\s/"]+`;
const REFERENCE = new RegExp(`bulkId:(${BULK_ID})`, "g");
const WHOLE_BULK_ID = new RegExp(`^${BULK_ID}$`);

/** Whether a reference could name this bulkId, i.e. it holds no character that ends one. */
export const isReferenceable = (bulkId: string) => WHOLE_BULK_ID.test(bulkId);

export interface BulkIdSet {
  has(bulkId: string): boolean;
}

export function referencedBulkIds(value: unknown, defined: BulkIdSet, found = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    for (const [, bulkId] of value.matchAll(REFERENCE)) if (defined.has(bulkId)) found.add(bulkId);
  } else if (Array.isArray(value)) value.forEach((v) => referencedBulkIds(v, defined, found));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => referencedBulkIds(v, defined, found));
  return found;
}

/** Replaces each reference to a bulkId in `ids` (bulkId → created id); the caller runs an operation only once all it references are there. */
export function resolveBulkIds<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === "string") {
    return value.replace(REFERENCE, (whole, bulkId: string) => ids.get(bulkId) ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveBulkIds(v, ids)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveBulkIds(v, ids)])) as T;
  }
  return value;
}
