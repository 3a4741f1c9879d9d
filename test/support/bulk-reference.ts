// A reference /Bulk for the differential test, written from RFC 7644 §3.7 (not from src/): the whole request is
// read first (bulk-request-check.ts), then each operation runs against a model of the tenant (bulk-resources.ts).
// Order, where the RFC leaves it open, is the one scimd documents (test/features/bulk.test.ts): request order,
// except that an operation naming `bulkId:X` waits until the POST defining X has run; at every step the earliest
// operation in the request that waits on nothing runs.
import { checkBulkRequest, type RefOperation } from "./bulk-request-check";
import { checkBody, cloneState, create, type Kind, OpError, patch, type RefState, remove, replace, views } from "./bulk-resources";

export interface RefResult {
  method: string;
  bulkId?: string;
  status: string;
  /** "Users/{id}" or "Groups/{id}": the location's tail. */
  location?: string;
  version: boolean;
  scimType?: string;
  why?: string;
}
export type RefAnswer = { ok: false; status: number; scimType: string; why: string } | { ok: true; results: RefResult[]; state: RefState; changed: Set<string> };

export interface RefWorld {
  state: RefState;
  /** Each resource's version when the request arrives. */
  versions: Map<string, string>;
  /** The id the server gave the resource this bulkId's POST created (the reference cannot invent the server's ids). */
  newId(bulkId: string | undefined): string;
}

const REFERENCE = /bulkId:([^\s/"]+)/g;

/** RFC 7644 §3.7.2: the bulkIds of this request's POSTs that the operation names, in its path or data. */
function referenced(op: RefOperation, defined: Set<string>): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") for (const [, id] of v.matchAll(REFERENCE)) defined.has(id) && found.add(id);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk([op.path, op.data]);
  return [...found];
}

function resolve<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === "string") return value.replace(REFERENCE, (whole, id: string) => ids.get(id) ?? whole) as T;
  if (Array.isArray(value)) return value.map((v) => resolve(v, ids)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, ids)])) as T;
  return value;
}

/** RFC 7644 §3.7: path is "the resource's relative path": /Users or /Groups for POST, /Users/{id} otherwise. */
function target(path: string): { kind: Kind; id?: string } | OpError {
  // RFC 3986 §3: "?" starts a query and "#" a fragment, neither of which a resource's path has (bulk.test.ts: invalidPath).
  if (/[?#]/.test(path)) return new OpError(400, "invalidPath", "query or fragment in path");
  const m = /^\/(Users|Groups)(?:\/([^/]+))?$/.exec(path);
  if (!m) return new OpError(404, undefined, "not a Users or Groups endpoint of this tenant");
  return { kind: m[1] as Kind, id: m[2] };
}

/** A view without what is derived from other resources: a User's groups. */
const ownPart = ({ groups: _groups, ...own }: Record<string, unknown>) => own;

export function referenceBulk(text: string, world: RefWorld): RefAnswer {
  const checked = checkBulkRequest(text);
  if (!checked.ok) return checked;
  const { operations, failOnErrors } = checked;
  const s = world.state;
  const defined = new Set(operations.flatMap((op) => (op.method === "POST" && op.bulkId ? [op.bulkId] : [])));
  const postOf = new Map(operations.flatMap((op, i) => (op.method === "POST" && op.bulkId ? [[op.bulkId, i] as const] : [])));
  const needs = operations.map((op) => referenced(op, defined));
  const ids = new Map<string, string>();
  const failedIds = new Set<string>();
  const results: (RefResult | undefined)[] = operations.map(() => undefined);
  const dirty = new Set<string>();
  let errors = 0;
  const start = views(s);
  // README: a User's version also changes when its groups do; that part is derived from the groups as they are,
  // so groups that end as they began leave it where it was. Any other change moves a version for good.
  const versionMoved = (key: string) => {
    if (dirty.has(key)) return true;
    const now = views(s).get(key);
    return key.startsWith("Users/") && now !== undefined && !Bun.deepEquals(now.groups, start.get(key)?.groups);
  };
  const exists = (kind: Kind, id: string) => (kind === "Users" ? s.users : s.groups).has(id);

  // §3.7.3: location is "REQUIRED for all operations except in the event of a POST failure": a failed PUT, PATCH or
  // DELETE names the resource its path names, there or not. A path that names none of this tenant's resources (no
  // id, another endpoint, a query, an id still `bulkId:X` for a POST that failed) has none to give (bulk.test.ts).
  const locate = (op: RefOperation) => {
    const path = resolve(op.path, ids);
    const t = target(path);
    const unresolved = referenced({ method: op.method, path }, defined).length > 0;
    return t instanceof OpError || !t.id || op.method === "POST" || unresolved ? undefined : `${t.kind}/${t.id}`;
  };
  const record = (i: number, result: Omit<RefResult, "method" | "bulkId">) => {
    const op = operations[i];
    results[i] = { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), ...result };
    if (Number(result.status) >= 400) {
      errors++;
      if (op.bulkId) failedIds.add(op.bulkId);
    }
  };
  const failed = (i: number, e: OpError) => record(i, { status: String(e.status), scimType: e.scimType, location: locate(operations[i]), version: false, why: e.why });

  const run = (i: number) => {
    const op = operations[i];
    const t = target(resolve(op.path, ids));
    if (t instanceof OpError) throw t;
    const data = resolve(op.data, ids);
    if (op.method === "POST") {
      if (t.id) throw new OpError(400, "invalidPath", "POST names an id");
      const id = world.newId(op.bulkId);
      create(s, t.kind, data, id);
      if (op.bulkId) ids.set(op.bulkId, id);
      return { status: "201", location: `${t.kind}/${id}`, version: true };
    }
    if (!t.id) throw new OpError(400, "invalidPath", `${op.method} without an id`);
    if (!exists(t.kind, t.id)) throw new OpError(404, undefined, "no such resource");
    const key = `${t.kind}/${t.id}`;
    // §3.7: version is the operation's If-Match (§3.14): 412 unless it is the resource's current version; "" names
    // none (README). The generator only sends versions of resources that exist when the request arrives.
    // "*" matches any current version (RFC 9110 §13.1.1).
    if (op.version !== undefined && op.version !== "*" && (versionMoved(key) || world.versions.get(key) !== op.version)) throw new OpError(412, undefined, "version");
    if (op.method === "DELETE") {
      remove(s, t.kind, t.id);
      return { status: "204", location: key, version: false };
    }
    // The body is read after the target and its version, as an HTTP PUT's (RFC 9110 §13.2.2): 404, 412, then 400.
    if (op.method === "PUT") replace(s, t.kind, t.id, data);
    else patch(s, t.kind, t.id, data);
    return { status: "200", location: key, version: true };
  };

  const done = (i: number) => results[i] !== undefined;
  const ready = (i: number) => !done(i) && needs[i].every((b) => done(postOf.get(b)!));
  for (;;) {
    // §3.7: failOnErrors "defines the number of errors that the service provider should accept before failing
    // the remaining operations": those are not run, and the response lists the ones that were.
    if (failOnErrors !== undefined && errors >= failOnErrors) break;
    const i = operations.findIndex((_, k) => ready(k));
    if (i < 0) break;
    const missing = needs[i].find((b) => failedIds.has(b));
    // A reference to a POST that failed cannot be resolved (bulk.test.ts: 409 invalidValue).
    if (missing) {
      failed(i, new OpError(409, "invalidValue", `needs failed bulkId ${missing}`));
      continue;
    }
    const before = views(s);
    const saved = cloneState(s);
    try {
      record(i, run(i));
    } catch (e) {
      if (!(e instanceof OpError)) throw e;
      // An operation that fails changes nothing.
      s.users = saved.users;
      s.groups = saved.groups;
      failed(i, e);
    }
    const after = views(s);
    for (const [key, view] of after) if (before.has(key) && !Bun.deepEquals(ownPart(before.get(key)!), ownPart(view))) dirty.add(key);
  }
  // §3.7.1: circular references the service provider may refuse with 409 (Conflict); what waits on a circle too.
  // Each is an error like any other: failOnErrors stops the rest.
  for (let i = 0; i < operations.length; i++) {
    if (failOnErrors !== undefined && errors >= failOnErrors) break;
    if (!done(i)) failed(i, new OpError(409, "invalidValue", "circular bulkId references"));
  }
  const changed = new Set([...start.keys()].filter(versionMoved));
  return { ok: true, results: results.filter((r): r is RefResult => r !== undefined), state: s, changed };
}
