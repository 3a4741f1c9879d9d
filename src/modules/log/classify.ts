// What a SCIM request did, in the words an operator uses: Entra's Test Connection, a lookup, a disable…
// Pure: the recorder passes the parsed bodies it has (only the ones `needsRequestBody` asked for).
import type { Operation } from "./model";
import { filterOf, isCollectionQuery, type ScimTarget } from "./scim-target";

export interface Classified {
  operation: Operation;
  resourceType: string | null;
  resourceId: string | null;
  resourceName: string | null;
}

export interface ClassifyInput {
  method: string;
  target: ScimTarget;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
  location?: string | null;
  /** totalResults of a list, when the handler noted it (then the answer's body is not read). */
  listTotal?: number;
}

const DISCOVERY = new Set(["ServiceProviderConfig", "ResourceTypes", "Schemas"]);
// entra.md "The conversation" 1: userName (groups: displayName) eq a random GUID, expected to match nothing.
const PROBE = /^\s*(?:userName|displayName)\s+eq\s+"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"\s*$/i;
const SIMPLE_NAME_EQ = /^\s*(?:userName|displayName)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_EQ = /\b(?:userName|displayName)\s+eq\s+"((?:[^"\\]|\\.)*)"/i;
const NOT_A_LOOKUP = /\b(?:ne|co|sw|ew|gt|ge|lt|le|pr|or|not)\b/i;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

/** Entra sends booleans as "True"/"False" strings (entra.md, PATCH shapes). */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return undefined;
}

/** The top attribute a PATCH path names, lower-cased: `members[value eq "x"]` → members, `urn:…:User:active` → active. */
export function attributeOf(path: string): string {
  let p = path.trim();
  const bracket = p.indexOf("[");
  if (bracket >= 0) p = p.slice(0, bracket);
  if (p.toLowerCase().startsWith("urn:")) p = p.slice(p.lastIndexOf(":") + 1);
  return (p.split(".")[0] ?? "").toLowerCase();
}

export const needsRequestBody = (method: string, target: ScimTarget) =>
  target.resourceType !== undefined && (method === "PATCH" || method === "PUT" || method === "POST");

/** Response bodies are read only when they say something the status does not. */
export function needsResponseBody(method: string, target: ScimTarget, status: number, location: string | null): boolean {
  if (status >= 400) return status !== 401;
  if (method === "POST" && status === 201) return !location;
  return status === 200 && isCollectionQuery(method, target) && PROBE.test(filterOf(target) ?? "");
}

/** The attribute that names a resource: userName for Users, displayName for Groups. */
const nameAttribute = (type: string | undefined) => (type === "Group" ? "displayName" : "userName");

function patchOperation(body: unknown, nameAttr: string): { operation: Operation; name: string | null } {
  const ops = isObj(body) && Array.isArray(body.Operations) ? body.Operations : [];
  let add = false;
  let remove = false;
  let other = false;
  let active: boolean | undefined;
  let name: string | null = null;
  const touch = (op: string, attr: string, value: unknown) => {
    if (attr === "active") active = toBool(value) ?? active;
    else if (attr === "members" && op === "add") add = true;
    else if (attr === "members" && op === "remove") remove = true;
    else other = true;
    if (attr === nameAttr && typeof value === "string") name = value;
  };
  for (const raw of ops) {
    if (!isObj(raw)) continue;
    const op = String(raw.op ?? "").toLowerCase();
    if (typeof raw.path === "string" && raw.path.trim() !== "") touch(op, attributeOf(raw.path), raw.value);
    else if (isObj(raw.value)) for (const [key, value] of Object.entries(raw.value)) touch(op, attributeOf(key), value);
    else other = true;
  }
  if (active === false) return { operation: "disable", name };
  if (active === true) return { operation: "enable", name };
  if (add && !remove && !other) return { operation: "member_add", name };
  if (remove && !add && !other) return { operation: "member_remove", name };
  return { operation: "update", name };
}

const unescaped = (quoted: string) => (quoted.includes("\\") ? quoted.replace(/\\(.)/g, "$1") : quoted);

// POST /.search carries its filter in the SearchRequest body (RFC 7644 §3.4.3), a GET in the query.
const searchFilter = (body: unknown) => (isObj(body) && typeof body.filter === "string" ? body.filter : undefined);

function collectionOperation(input: ClassifyInput): { operation: Operation; name: string | null } {
  const filter = input.method === "POST" ? searchFilter(input.requestBody) : filterOf(input.target);
  if (!filter) return { operation: "list", name: null };
  // Nearly every filter Entra sends is this one comparison: a lookup, or the probe when it names a GUID.
  const simple = SIMPLE_NAME_EQ.exec(filter);
  const quoted = simple?.[1] ?? NAME_EQ.exec(filter)?.[1];
  const named = quoted === undefined ? null : unescaped(quoted);
  if (simple ? GUID.test(simple[1]) : PROBE.test(filter)) {
    const total = input.listTotal ?? (isObj(input.responseBody) ? input.responseBody.totalResults : undefined);
    if (input.status !== 200 || total === 0) return { operation: "test_connection", name: named };
  }
  if (simple) return { operation: "lookup", name: named };
  const unquoted = filter.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const lookup = /\beq\b/i.test(unquoted) && !NOT_A_LOOKUP.test(unquoted);
  return { operation: lookup ? "lookup" : "list", name: named };
}

function nameIn(body: unknown, type: string | undefined): string | null {
  return isObj(body) ? str(body[nameAttribute(type)]) : null;
}

export function classify(input: ClassifyInput): Classified {
  const { method, target } = input;
  const result: Classified = {
    operation: "other",
    resourceType: target.resourceType ?? null,
    resourceId: target.resourceId ?? null,
    resourceName: null,
  };
  const head = target.segments[0] ?? "";
  if (DISCOVERY.has(head)) return { ...result, operation: "discovery" };
  if (head === "Bulk" && method === "POST") return { ...result, operation: "bulk" };
  if (!target.resourceType) return result;
  if (isCollectionQuery(method, target)) {
    const { operation, name } = collectionOperation(input);
    return { ...result, operation, resourceName: name };
  }
  if (target.segments.length === 1 && method === "POST") {
    const created = isObj(input.responseBody) ? str(input.responseBody.id) : null;
    const fromLocation = input.location ? input.location.slice(input.location.lastIndexOf("/") + 1) : null;
    const resourceName = nameIn(input.responseBody, target.resourceType) ?? nameIn(input.requestBody, target.resourceType);
    return { ...result, operation: "create", resourceId: fromLocation || created, resourceName };
  }
  if (!target.resourceId) return result;
  switch (method) {
    case "GET":
      return { ...result, operation: "lookup" };
    case "DELETE":
      return { ...result, operation: "delete" };
    case "PUT": {
      const active = isObj(input.requestBody) ? toBool(input.requestBody.active) : undefined;
      const resourceName = nameIn(input.requestBody, target.resourceType);
      return { ...result, operation: active === false ? "disable" : "update", resourceName };
    }
    case "PATCH": {
      const { operation, name } = patchOperation(input.requestBody, nameAttribute(target.resourceType).toLowerCase());
      return { ...result, operation, resourceName: name };
    }
  }
  return result;
}
