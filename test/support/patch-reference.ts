// A reference PATCH for the differential test: RFC 7644 §3.5.2 applied to a plain JSON User, plus the Entra
// shapes of ../shared/entra.md, written from those texts and not from src. Where the RFC leaves a choice open,
// the choice scimd documents (README) is taken and the comment says so.
import { type Def, findDef, type ResourceSchema } from "./patch-schema";
import { describedValue, matchesValue, parseValueFilter, refusedFilter, type ValueFilter } from "./patch-value-filter";

type Doc = Record<string, unknown>;
/** `password`: what the request did to the (never returned) password: nothing, set a new one, or clear it. */
export type Outcome = { ok: true; user: Doc; password?: "set" | "clear" } | { ok: false; status: number; scimType: string | undefined; why: string };

export class Refusal {
  constructor(
    readonly scimType: string,
    readonly why: string,
    readonly status = 400,
  ) {}
}
export const refuse = (scimType: string, why: string): never => {
  throw new Refusal(scimType, why);
};

export const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);
/**
 * RFC 7643 §2.3.1 caseExact false: equal under Unicode simple case folding, as GET filters compare
 * (filter-reference.ts: /iu matching; "İ" equals only itself, where toLowerCase would give "i̇").
 */
export const sameText = (def: Def | undefined, a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" && !def?.caseExact ? new RegExp(`^${a.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")}$`, "iu").test(b) : a === b;

interface Target {
  urn: string;
  def: Def;
  filter?: ValueFilter;
  sub?: Def;
}
/** The path names an attribute or schema no schema defines: the operation is skipped, as POST drops it (README). */
const SKIP = "skip";

/** RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr]; names and URNs in any case (RFC 7643 §2.1). */
function parsePath(rs: ResourceSchema, text: string): Target | typeof SKIP | "bare-extension" {
  const lower = text.toLowerCase();
  const ext = rs.extension?.urn;
  if (ext && lower === ext.toLowerCase()) return "bare-extension";
  let urn = rs.coreUrn;
  let rest = text;
  for (const known of ext ? [ext, rs.coreUrn] : [rs.coreUrn]) {
    if (lower.startsWith(`${known.toLowerCase()}:`)) {
      urn = known;
      rest = text.slice(known.length + 1);
      break;
    }
  }
  if (rest === text && lower.startsWith("urn:")) return SKIP;
  const m = /^([A-Za-z$][\w$-]*)(?:\[([^\]]*)\])?(?:\.([A-Za-z$][\w$-]*))?$/.exec(rest);
  if (!m) return refuse("invalidPath", `malformed path ${text}`);
  let filter: ValueFilter | undefined;
  if (m[2] !== undefined) {
    filter = parseValueFilter(m[2]);
    if (!filter) return refuse("invalidFilter", `bad value filter in ${text}`);
  }
  const def = findDef(urn === rs.coreUrn ? rs.core : rs.extension?.attributes, m[1]);
  if (!def) return SKIP;
  if (filter && !def.multi) return refuse("invalidPath", `value filter on single-valued ${def.name}`);
  if (filter && refusedFilter(def, filter)) return refuse("invalidFilter", `GET would refuse the filter in ${text}`);
  let sub: Def | undefined;
  if (m[3] !== undefined) {
    if (!def.sub) return refuse("invalidPath", `${def.name} has no sub-attributes`);
    sub = findDef(def.sub, m[3]);
    if (!sub) return SKIP;
  }
  if (def.readOnly || sub?.readOnly) return refuse("mutability", `${text} is readOnly (RFC 7643 §2.2)`);
  return { urn, def, filter, sub };
}

/** One value into the shape `def` declares; `undefined` means unassigned (entra.md: `""` or `null` clears). */
export function coerce(def: Def, v: unknown): unknown {
  if (v === null || v === "") return undefined;
  if (def.type === "boolean") {
    if (typeof v === "boolean") return v;
    // entra.md: "True", "False", "true", "false" strings for booleans.
    if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
    return refuse("invalidValue", `${def.name} must be a boolean`);
  }
  if (def.type !== "complex") {
    // RFC 7643 §2.4: a single-valued attribute takes one value; an array (even of one) is the wrong type.
    if (typeof v !== "string") return refuse("invalidValue", `${def.name} must be a string`);
    return v;
  }
  // entra.md: `manager` sent as a bare id string.
  if (typeof v === "string" && findDef(def.sub, "value")) return { value: v };
  if (!isObject(v)) return refuse("invalidValue", `${def.name} must be an object`);
  const out: Doc = {};
  for (const [key, raw] of Object.entries(v)) {
    const sub = findDef(def.sub, key);
    if (!sub || sub.readOnly) continue; // as POST drops them
    const c = coerce(sub, raw);
    if (c !== undefined) out[sub.name] = c;
  }
  return Object.keys(out).length ? out : undefined;
}

const elementDef = (def: Def): Def => ({ ...def, multi: undefined });
export const elementsOf = (def: Def, v: unknown): Doc[] =>
  (Array.isArray(v) ? v : [v]).map((e) => coerce(elementDef(def), e)).filter((e): e is Doc => e !== undefined);

const hasValueSub = (def: Def) => findDef(def.sub, "value") !== undefined;
/** RFC 7643 §2.4: an element of an attribute with a `value` sub-attribute carries nothing without it; scimd drops it. */
const counts = (def: Def, e: Doc) => !hasValueSub(def) || e.value !== undefined;

function sameElement(def: Def, a: Doc, b: Doc): boolean {
  const keys = (d: Doc) => Object.keys(d).filter((k) => k !== "primary").sort();
  const [ka, kb] = [keys(a), keys(b)];
  if (ka.join() !== kb.join()) return false;
  return ka.every((k) => sameText(findDef(def.sub, k), a[k], b[k]));
}

/** RFC 7643 §2.4 "The primary attribute value true MUST appear no more than once": the newest primary wins. */
function promote(def: Def, list: Doc[], winner: Doc) {
  if (winner.primary !== true || !counts(def, winner)) return;
  for (const [i, e] of list.entries()) if (e !== winner && e.primary === true) list[i] = { ...e, primary: false };
}

/** The documents whose request named a writeOnly attribute (password), set or cleared. */
const namedWriteOnly = new WeakSet<Doc>();

function applyAt(rs: ResourceSchema, doc: Doc, t: Target, op: string, raw: unknown) {
  const container = (t.urn === rs.coreUrn ? doc : (doc[t.urn] ??= {})) as Doc;
  const { def } = t;
  if (def.writeOnly) namedWriteOnly.add(doc);
  if (t.filter) return applyFiltered(container, t as Target & { filter: ValueFilter }, op, raw);
  if (t.sub) {
    if (def.multi) {
      if (op !== "remove") throw new Error(`unmodelled: ${op} ${def.name}.${t.sub.name} without a filter`);
      container[def.name] = ((container[def.name] as Doc[] | undefined) ?? []).map(({ [t.sub!.name]: _, ...rest }) => rest);
      return;
    }
    const obj = { ...((container[def.name] as Doc | undefined) ?? {}) };
    const c = op === "remove" ? undefined : coerce(t.sub, raw);
    if (c === undefined) delete obj[t.sub.name];
    else obj[t.sub.name] = c;
    container[def.name] = obj;
    return;
  }
  if (op === "remove" && def.multi && raw !== undefined && raw !== null) {
    // §3.5.2.2 defines no value for remove; scimd's README: Entra's member-removal shape removes only the listed
    // values, and it reads the same on any multi-valued attribute, a value being identified by its `value`.
    const listed = elementsOf(def, raw).map((e) => e.value);
    const valueDef = findDef(def.sub, "value");
    container[def.name] = ((container[def.name] as Doc[] | undefined) ?? []).filter((e) => !listed.some((v) => sameText(valueDef, v, e.value)));
    return;
  }
  if (op === "remove") return void delete container[def.name];
  if (def.multi) {
    const incoming = elementsOf(def, raw);
    if (incoming.filter((e) => e.primary === true && counts(def, e)).length > 1) refuse("invalidValue", `two primary ${def.name}`);
    // §3.5.2.3: no filter, the whole set is replaced; §3.5.2.1: added values join the set, unless already there.
    const list = op === "replace" ? [] : [...((container[def.name] as Doc[] | undefined) ?? [])];
    for (const e of incoming) {
      // Replace takes the values as given, as POST would (the RFC asks no merging of duplicates there).
      const i = op === "replace" ? -1 : list.findIndex((old) => sameElement(def, old, e));
      if (i < 0) list.push(e);
      // The RFC leaves open whether a flag makes it another value; scimd's reading: the value present takes the
      // `primary` it is sent with, true or false.
      // `primary` false and no `primary` mean the same (RFC 7643 §2.4).
      else if (typeof e.primary === "boolean" && (list[i].primary === true) !== e.primary) list[i] = { ...list[i], primary: e.primary };
      promote(def, list, list[i < 0 ? list.length - 1 : i]);
    }
    container[def.name] = list;
    return;
  }
  const c = coerce(def, raw);
  if (def.type === "complex" && isObject(raw) && Object.keys(raw).length > 0) {
    // §3.5.2.1 and §3.5.2.3: a complex value's sub-attributes are merged; those not given are left unchanged, and
    // one given as `""` or null is given as unassigned (RFC 7643 §2.5), so it is cleared.
    const merged: Doc = { ...((container[def.name] as Doc | undefined) ?? {}), ...((c as Doc | undefined) ?? {}) };
    for (const [key, v] of Object.entries(raw)) {
      const sub = findDef(def.sub, key);
      if (sub && !sub.readOnly && (v === null || v === "")) delete merged[sub.name];
    }
    if (Object.keys(merged).length) container[def.name] = merged;
    else delete container[def.name];
  } else if (c === undefined) delete container[def.name];
  else container[def.name] = def.type === "complex" ? { ...((container[def.name] as Doc | undefined) ?? {}), ...(c as Doc) } : c;
}

function applyFiltered(container: Doc, t: Target & { filter: ValueFilter }, op: string, raw: unknown) {
  const { def, filter, sub } = t;
  const list = [...((container[def.name] as Doc[] | undefined) ?? [])];
  const hit = list.map((e) => matchesValue(def, e, filter));
  if (op === "remove") {
    // A value left with no sub-attribute is no value (RFC 7643 §2.5): gone at once, so a later add is no "same value".
    const stripped = list.map((e, i) => (hit[i] ? (({ [sub?.name ?? ""]: _, ...rest }) => rest)(e) : e)).filter((e) => Object.keys(e).length > 0);
    container[def.name] = sub ? stripped : list.filter((_, i) => !hit[i]);
    return;
  }
  const value = sub ? coerce(sub, raw) : coerce(elementDef(def), raw);
  const changed: Doc[] = [];
  if (hit.some(Boolean)) {
    for (const [i, e] of list.entries()) {
      if (!hit[i]) continue;
      let next: Doc;
      if (sub) next = value === undefined ? (({ [sub.name]: _, ...rest }) => rest)(e) : { ...e, [sub.name]: value };
      // §3.5.2.1 add: merged into the matched values. §3.5.2.3 replace: "all matching record values SHALL be
      // replaced"; the replacement keeps what the filter's `eq` says of it, so it is still the value the path names.
      else if (op === "add") next = { ...e, ...((value as Doc | undefined) ?? {}) };
      else next = { ...describedValue(def, filter), ...((value as Doc | undefined) ?? {}) };
      list[i] = next;
      changed.push(next);
    }
  } else if (value !== undefined || !sub) {
    // §3.5.2.3: a filter that matches nothing is noTarget, unless it describes the value (entra.md); a whole value
    // whose sub-attributes are all `""`/null (scimd's reading) adds the value the filter describes.
    const base = describedValue(def, filter);
    if (!base) return refuse("noTarget", `no value of ${def.name} matches the filter, nor does it describe one`);
    const created = sub ? { ...base, [sub.name]: value } : { ...base, ...((value as Doc | undefined) ?? {}) };
    list.push(created);
    changed.push(created);
  }
  if (changed.filter((e) => e.primary === true && counts(def, e)).length > 1) refuse("invalidValue", `two primary ${def.name}`);
  for (const e of changed) promote(def, list, e);
  container[def.name] = list;
}

function applyOne(rs: ResourceSchema, doc: Doc, op: string, path: string | undefined, value: unknown) {
  const ext = rs.extension?.urn ?? "";
  if (path === undefined) {
    // §3.5.2.1/§3.5.2.3 without a path: each key of the value is an attribute (entra.md: dotted and URN-qualified).
    for (const [key, v] of Object.entries(value as Doc)) {
      if (ext && key.toLowerCase() === ext.toLowerCase() && isObject(v)) {
        for (const [k2, v2] of Object.entries(v)) applyKey(rs, doc, op, `${ext}:${k2}`, v2);
      } else applyKey(rs, doc, op, key, v);
    }
    return;
  }
  const t = parsePath(rs, path);
  if (t === SKIP) return;
  if (t === "bare-extension") {
    if (op === "remove") return void delete doc[ext];
    if (!isObject(value)) return refuse("invalidValue", "an extension takes an object");
    for (const [k, v] of Object.entries(value)) applyKey(rs, doc, op, `${ext}:${k}`, v);
    return;
  }
  applyAt(rs, doc, t, op, value);
}

/** A key of a path-less value: readOnly ones (id, meta sent back) are ignored, as on POST (scimd's README). */
function applyKey(rs: ResourceSchema, doc: Doc, op: string, key: string, value: unknown) {
  try {
    applyOne(rs, doc, op, key, value);
  } catch (e) {
    if (!(e instanceof Refusal && e.scimType === "mutability")) throw e;
  }
}

export function tidy(rs: ResourceSchema, doc: Doc) {
  for (const def of rs.core) {
    const v = doc[def.name];
    // A value left with no sub-attribute at all is no value (RFC 7643 §2.5).
    if (Array.isArray(v)) doc[def.name] = v.filter((e) => counts(def, e as Doc) && Object.keys(e as Doc).length > 0);
    const w = doc[def.name];
    if ((Array.isArray(w) && w.length === 0) || (isObject(w) && Object.keys(w).length === 0)) delete doc[def.name];
    if (Array.isArray(w) && w.filter((e) => (e as Doc).primary === true).length > 1) refuse("invalidValue", `two primary ${def.name}`);
  }
  const urn = rs.extension?.urn ?? "";
  const ext = doc[urn] as Doc | undefined;
  if (ext) for (const [k, v] of Object.entries(ext)) if (isObject(v) && Object.keys(v).length === 0) delete ext[k];
  if (ext && Object.keys(ext).length === 0) delete doc[urn];
  doc.schemas = doc[urn] ? [rs.coreUrn, urn] : [rs.coreUrn];
}

/** The resource after `body` (meta left out), or the refusal; `taken` are the other resources' unique names. */
export function referencePatch(rs: ResourceSchema, resource: Doc, body: { Operations: Doc[] }, taken: string[]): Outcome {
  const { meta: _, ...doc } = structuredClone(resource);
  try {
    // The request is read whole before any operation applies: a malformed operation fails it wherever it stands.
    const operations = body.Operations.map((o) => {
      const op = typeof o.op === "string" ? o.op.toLowerCase() : "";
      // §3.5.2: "op" is one of "add", "remove", "replace"; entra.md: Entra writes them capitalised.
      if (!["add", "remove", "replace"].includes(op)) refuse("invalidSyntax", `unknown op ${String(o.op)}`);
      const path = typeof o.path === "string" ? o.path : undefined;
      if (op === "remove" && path === undefined) refuse("noTarget", "remove without a path (§3.5.2.2)");
      if (op !== "remove" && path === undefined && !isObject(o.value)) refuse("invalidValue", "path-less value must be an object");
      return { op, path, value: o.value };
    });
    for (const { op, path, value } of operations) applyOne(rs, doc, op, path, value);
    // RFC 7643 §4.1.1 password: writeOnly and returned "never", so it is no part of the resource returned.
    const password = namedWriteOnly.has(doc) ? (typeof doc.password === "string" ? "set" : "clear") : undefined;
    delete doc.password;
    tidy(rs, doc);
    // RFC 7643 §4.1.1 userName and §4.2 displayName are REQUIRED.
    const name = doc[rs.uniqueName];
    if (typeof name !== "string" || name === "") refuse("invalidValue", `${rs.uniqueName} is required`);
    // RFC 7643 §4.1.1 uniqueness "server", case-insensitive (entra.md: duplicate userName in any case → 409).
    if (taken.some((n) => n.toLowerCase() === String(name).toLowerCase())) throw new Refusal("uniqueness", `${rs.uniqueName} taken`, 409);
    return password ? { ok: true, user: doc, password } : { ok: true, user: doc };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, status: e.status, scimType: e.scimType, why: e.why };
    throw e;
  }
}

/** For comparing: meta dropped, keys sorted, and multi-valued attributes (whose order is open, RFC 7643 §2.4) sorted. */
export function normalised(user: Doc): unknown {
  const { meta: _, ...rest } = user;
  const sortDeep = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortDeep).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep(v[k])]));
    return v;
  };
  return sortDeep(rest);
}
