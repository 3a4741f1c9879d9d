// RFC 7644 §3.4.2.3–§3.4.2.5: paging, sorting and attribute selection parameters of a query.
import { badRequest, fail, ok, type Result } from "../errors";
import { parseAttributeList } from "./schema/project";

export const MAX_RESULTS = 1000;
export const DEFAULT_COUNT = 100;

export interface ListParams {
  filter?: string;
  startIndex: number;
  count: number;
  sortBy?: string;
  sortOrder: "ascending" | "descending";
  attributes: string[];
  excludedAttributes: string[];
  cursor?: string;
}

/** Query-string keys are matched case-insensitively: clients send `startindex`, `Filter`, … */
export function lowerKeys(query: Record<string, string | undefined>): Record<string, string | undefined> {
  // fromEntries defines each key: `out["__proto__"] = {…}` (a SearchRequest body) would set the prototype.
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k.toLowerCase(), v]));
}

function integer(raw: unknown, name: string): Result<number | undefined> {
  if (raw === undefined || raw === "") return ok(undefined);
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(n)) return fail(badRequest("invalidValue", `${name} must be an integer, not ${JSON.stringify(raw)}`));
  return ok(n);
}

// [name as the keys are looked up (lower case), name as an error message spells it]
const STRING_PARAMS = [["filter", "filter"], ["sortby", "sortBy"], ["sortorder", "sortOrder"], ["cursor", "cursor"]] as const;
const LIST_PARAMS = [["attributes", "attributes"], ["excludedattributes", "excludedAttributes"]] as const;

const wrong = (name: string, what: string) => fail(badRequest("invalidValue", `${name} must be ${what}`));

/**
 * A SearchRequest body's values come as any JSON (RFC 7644 §3.4.3): each is checked for its type here, so a
 * wrong one is a 400 naming it, never ignored (a `filter` that is not a string must not list everything).
 * null stands for absent. Query-string values are strings, or arrays of them when a parameter repeats.
 */
function typeError(q: Record<string, unknown>): Result<void> {
  for (const [key, name] of STRING_PARAMS) {
    const v = q[key];
    if (v !== undefined && typeof v !== "string") return wrong(name, "a string");
  }
  for (const [key, name] of LIST_PARAMS) {
    const v = q[key];
    if (v !== undefined && typeof v !== "string" && !(Array.isArray(v) && v.every((x) => typeof x === "string"))) {
      return wrong(name, "a list of attribute names (strings)");
    }
  }
  return ok(undefined);
}

/** From a query string (GET) or a SearchRequest body (POST /.search); both use the same names. */
export function parseListParams(input: Record<string, unknown>): Result<ListParams> {
  const q = lowerKeys(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null)) as Record<string, string | undefined>);
  const types = typeError(q);
  if (!types.ok) return types;
  const start = integer(q.startindex, "startIndex");
  if (!start.ok) return start;
  const count = integer(q.count, "count");
  if (!count.ok) return count;
  const order = typeof q.sortorder === "string" ? q.sortorder.toLowerCase() : undefined;
  if (order !== undefined && order !== "ascending" && order !== "descending") {
    return fail(badRequest("invalidValue", `sortOrder must be "ascending" or "descending"`));
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : parseAttributeList(typeof v === "string" ? v : undefined));
  return ok({
    filter: typeof q.filter === "string" && q.filter.trim() !== "" ? q.filter : undefined,
    // §3.4.2.4: a startIndex below 1 is taken as 1; a negative count as 0. Past 2^53 SQLite's OFFSET overflows.
    startIndex: Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, start.value ?? 1)),
    count: Math.min(MAX_RESULTS, Math.max(0, count.value ?? DEFAULT_COUNT)),
    sortBy: typeof q.sortby === "string" && q.sortby !== "" ? q.sortby : undefined,
    sortOrder: order === "descending" ? "descending" : "ascending",
    attributes: list(q.attributes),
    excludedAttributes: list(q.excludedattributes),
    cursor: typeof q.cursor === "string" ? q.cursor : undefined,
  });
}
