// `bulkId:xyz` references (RFC 7644 §3.7.2): found anywhere in an operation's path or data, replaced by
// the id of the resource created by the POST that carried that bulkId.
const PREFIX = "bulkId:";

export function referencedBulkIds(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    const at = value.indexOf(PREFIX);
    if (at >= 0) found.add(value.slice(at + PREFIX.length).split("/")[0]);
  } else if (Array.isArray(value)) value.forEach((v) => referencedBulkIds(v, found));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => referencedBulkIds(v, found));
  return found;
}

export function resolveBulkIds<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === "string") {
    return value.replace(/bulkId:([^/"]+)/g, (whole, bulkId: string) => ids.get(bulkId) ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveBulkIds(v, ids)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveBulkIds(v, ids)])) as T;
  }
  return value;
}
