// A small reference evaluator for RFC 7644 §3.4.2.2 filters, written for the differential test
// (test/http/filter-differential.test.ts) and sharing no code with src/scim/filter. It evaluates the generator's
// own filter tree over resources as GET returns them, with attribute characteristics as /Schemas advertises them.
// Where the RFC leaves a choice open, the choice scimd documents (README "What scimd implements") is followed
// and named here with the reason.

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

/** A compValue as written: a quoted string, or a bare token (number, true, false, null, or a word). */
export type FilterValue = { quoted: true; text: string } | { quoted: false; text: string };

export interface RefPath {
  /** A schema URN the path was qualified with (core or extension), compared case-insensitively. */
  urn?: string;
  name: string;
  sub?: string;
}

export type RefFilter =
  | { k: "cmp"; path: RefPath; op: CompareOp; value: FilterValue }
  | { k: "pr"; path: RefPath }
  | { k: "and" | "or"; left: RefFilter; right: RefFilter }
  | { k: "not"; filter: RefFilter }
  /** `attr[filter]`, or `attr[filter].sub op value` (entra.md "Match": both hold for the same element). */
  | { k: "vp"; path: RefPath; filter: RefFilter; then?: { sub: string; op: CompareOp; value: FilterValue } };

export interface AttrInfo {
  name: string;
  type: string;
  multiValued: boolean;
  caseExact: boolean;
  subAttributes?: AttrInfo[];
}

export interface SchemaInfo {
  id: string;
  attributes: AttrInfo[];
}

export interface RefSchemas {
  core: SchemaInfo;
  extensions: SchemaInfo[];
}

type Doc = Record<string, unknown>;

/** The reference's verdict that the server must refuse the filter with 400 invalidFilter. */
export class Refused extends Error {}
const refuse = (why: string): never => {
  throw new Refused(why);
};

const a = (name: string, type: string, caseExact = false, multiValued = false, subAttributes?: AttrInfo[]): AttrInfo => ({
  name,
  type,
  caseExact,
  multiValued,
  ...(subAttributes ? { subAttributes } : {}),
});

// RFC 7643 §3.1 common attributes: id and externalId are caseExact, meta.resourceType too. `schemas` (§3) is
// compared case-insensitively: URNs name schemas regardless of case everywhere else in scimd.
export const COMMON_ATTRIBUTES: AttrInfo[] = [
  a("id", "string", true),
  a("externalId", "string", true),
  a("schemas", "reference", false, true),
  a("meta", "complex", false, false, [
    a("resourceType", "string", true),
    a("created", "dateTime"),
    a("lastModified", "dateTime"),
    a("location", "reference", true),
    a("version", "string", true),
  ]),
];

// Attributes scimd does not filter on, by its choice (RFC 7644 §3.4.2.2 lets a provider refuse a filter it does
// not support with invalidFilter): meta.location and meta.version are derived, never stored; a User's
// groups.$ref and a Group's members.$ref are built from ids at render time; password is returned "never".
// `meta` itself (pr, or meta[…]) is refused for the same reason: only created, lastModified and resourceType are.
const UNFILTERABLE_EVERYWHERE = ["meta", "meta.location", "meta.version"];
const UNFILTERABLE: Record<string, Set<string>> = {
  "urn:ietf:params:scim:schemas:core:2.0:User": new Set([...UNFILTERABLE_EVERYWHERE, "groups.$ref", "password"]),
  "urn:ietf:params:scim:schemas:core:2.0:Group": new Set([...UNFILTERABLE_EVERYWHERE, "members.$ref"]),
};
const unfilterable = (schemas: RefSchemas, dotted: string) => UNFILTERABLE[schemas.core.id]?.has(dotted) ?? false;

const lower = (s: string) => s.toLowerCase();
const findIn = (defs: AttrInfo[] | undefined, name: string) => defs?.find((d) => lower(d.name) === lower(name));

interface Resolved {
  def: AttrInfo;
  sub?: AttrInfo;
  /** Where the attribute lives in the resource: undefined for core, else the extension URN. */
  ext?: string;
}

function resolve(schemas: RefSchemas, path: RefPath): Resolved {
  let ext: string | undefined;
  let defs: AttrInfo[];
  const urn = path.urn === undefined ? undefined : lower(path.urn);
  if (urn === undefined || urn === lower(schemas.core.id)) {
    defs = [...COMMON_ATTRIBUTES, ...schemas.core.attributes.filter((d) => !findIn(COMMON_ATTRIBUTES, d.name))];
  } else {
    const found = schemas.extensions.find((e) => lower(e.id) === urn);
    if (!found) return refuse(`unknown schema ${path.urn}`);
    ext = found.id;
    defs = found.attributes;
  }
  // `schemas` (RFC 7643 §3) is no attribute of the core schema, so qualified with its URN it names nothing.
  if (urn !== undefined && lower(path.name) === "schemas") refuse("schemas is not an attribute of a schema");
  const def = findIn(defs, path.name) ?? refuse(`unknown attribute ${path.name}`);
  let sub: AttrInfo | undefined;
  if (path.sub !== undefined) {
    if (def.type !== "complex") refuse(`${def.name} has no sub-attributes`);
    sub = findIn(def.subAttributes, path.sub) ?? refuse(`unknown sub-attribute ${path.sub}`);
  }
  const dotted = sub ? `${def.name}.${sub.name}` : def.name;
  if (ext === undefined && unfilterable(schemas, dotted)) refuse(`${dotted} is not filterable`);
  return { def, sub, ext };
}

const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 7644 §3.4.2.2 pr: "If the attribute has a non-empty value, or if it contains a non-empty node for complex attributes". */
function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return false;
  if (Array.isArray(v)) return v.some(nonEmpty);
  if (isObject(v)) return Object.values(v).some(nonEmpty);
  return true;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

// ---- comparing one value -------------------------------------------------------------------------------

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const escapeRegex = (s: string) => s.replace(REGEX_SYNTAX, "\\$&");

/**
 * RFC 7643 §2.2 caseExact false. ECMAScript's /iu matching compares code points under Unicode *simple* case
 * folding (CaseFolding.txt C+S): "ẞ" matches "ß", "ς" "σ", "K" (Kelvin) "k", "ǅ" "ǆ"; "ß" does not match "ss"
 * (that is full folding) and the Turkic "İ"/"ı" match only themselves. scimd documents simple folding; no
 * Unicode normalisation either ("é" and "e\u0301" differ), as RFC 7644 asks for none.
 */
const insensitive = (pattern: string, anchorStart: boolean, anchorEnd: boolean) =>
  new RegExp(`${anchorStart ? "^" : ""}${escapeRegex(pattern)}${anchorEnd ? "$" : ""}`, "iu");

/**
 * For ordering (gt/ge/lt/le) a case-insensitive value is folded to one representative per letter; which one is
 * a choice (RFC 7644 says only "lexicographical order"): scimd takes the lower case, as SQL's lower() does, so
 * "a" > "_" whatever case the letter is in. Each representative is checked to fold with the letter it stands for.
 */
function foldForOrder(s: string): string {
  let out = "";
  for (const ch of s) {
    const single = (x: string) => x.length > 0 && [...x].length === 1 && insensitive(ch, true, true).test(x);
    const viaUpper = ch.toUpperCase().toLowerCase();
    out += single(viaUpper) ? viaUpper : single(ch.toLowerCase()) ? ch.toLowerCase() : ch;
  }
  return out;
}

/** Code point order: what a byte comparison of UTF-8 gives (SQLite's BINARY collation). */
function codePointOrder(x: string, y: string): number {
  const xs = [...x].map((c) => c.codePointAt(0) ?? 0);
  const ys = [...y].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) if (xs[i] !== ys[i]) return xs[i] - ys[i];
  return xs.length - ys.length;
}

function ordered(op: CompareOp, diff: number): boolean {
  if (op === "eq") return diff === 0;
  if (op === "gt") return diff > 0;
  if (op === "ge") return diff >= 0;
  if (op === "lt") return diff < 0;
  if (op === "le") return diff <= 0;
  throw new Error(`not an ordering: ${op}`);
}

function compareString(actual: string, op: CompareOp, text: string, caseExact: boolean): boolean {
  if (caseExact) {
    if (op === "co") return actual.includes(text);
    if (op === "sw") return actual.startsWith(text);
    if (op === "ew") return actual.endsWith(text);
    return ordered(op, codePointOrder(actual, text));
  }
  if (op === "co") return insensitive(text, false, false).test(actual);
  if (op === "sw") return insensitive(text, true, false).test(actual);
  if (op === "ew") return insensitive(text, false, true).test(actual);
  if (op === "eq") return insensitive(text, true, true).test(actual);
  return ordered(op, codePointOrder(foldForOrder(actual), foldForOrder(text)));
}

// RFC 3339 / xsd:dateTime, as RFC 7643 §2.3.5 asks; a value without an offset is taken as UTC (scimd's choice).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/i;

/** An instant in picoseconds since the epoch, exactly: fractions of any length up to 12 digits compare right. */
export function instantOf(text: string): bigint | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const whole = new Date(0);
  whole.setUTCFullYear(y, mo - 1, d);
  whole.setUTCHours(h, mi, s, 0);
  if (whole.getUTCMonth() !== mo - 1 || whole.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  const zone = m[8] ?? "Z";
  const offset = /z/i.test(zone) ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const fraction = BigInt((m[7] ?? "").slice(0, 12).padEnd(12, "0"));
  return (BigInt(whole.getTime()) - BigInt(offset) * 60_000n) * 1_000_000_000n + fraction;
}

// RFC 8259 §6 number, the compValue grammar of RFC 7644 §3.4.2.2.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A comparison of one attribute, checked once (a refusal does not depend on the data), then run per value. */
function comparator(def: AttrInfo, op: CompareOp, value: FilterValue): (actual: unknown) => boolean {
  const bare = value.quoted ? undefined : lower(value.text);
  if (bare === "null") refuse("null compares only with eq/ne (handled by the caller)");
  switch (def.type) {
    case "boolean": {
      if (op !== "eq" && op !== "ne") refuse("booleans compare only with eq/ne");
      // Entra sends booleans as strings ("True"): scimd takes a quoted "true"/"false" in any case too.
      const t = lower(value.text);
      if (t !== "true" && t !== "false") refuse("not a boolean");
      return (actual) => actual === (t === "true");
    }
    case "integer":
    case "decimal": {
      if (op === "co" || op === "sw" || op === "ew") refuse("co/sw/ew do not apply to numbers");
      const text = value.text.trim();
      if (!JSON_NUMBER.test(text)) refuse("not a number");
      const wanted = Number(text);
      return (actual) => typeof actual === "number" && ordered(op === "ne" ? "eq" : op, actual - wanted);
    }
    case "dateTime": {
      if (op === "co" || op === "sw" || op === "ew") {
        return (actual) => typeof actual === "string" && compareString(actual, op, value.text, def.caseExact);
      }
      const wanted = instantOf(value.text) ?? refuse("not a dateTime");
      return (actual) => {
        const at = typeof actual === "string" ? instantOf(actual) : undefined;
        return at !== undefined && ordered(op === "ne" ? "eq" : op, at < wanted ? -1 : at > wanted ? 1 : 0);
      };
    }
    case "complex":
      return refuse("a complex value compares through its value sub-attribute");
    default:
      // A bare token compared with a string attribute is its text (Microsoft's tools send `userName eq Test_User`).
      return (actual) => typeof actual === "string" && compareString(actual, op === "ne" ? "eq" : op, value.text, def.caseExact);
  }
}

// ---- evaluating a filter -------------------------------------------------------------------------------

type Predicate = (container: Doc) => boolean;

/** The values a leaf compares: the attribute's, each element's sub-attribute, or a complex value's `value`. */
function leafValues(r: Resolved, forPresence: boolean): { def: AttrInfo; values: (c: Doc) => unknown[] } {
  const { def, sub, ext } = r;
  const raw = (c: Doc) => asList(ext === undefined ? c[def.name] : isObject(c[ext]) ? (c[ext] as Doc)[def.name] : undefined);
  if (sub) return { def: sub, values: (c) => raw(c).map((e) => (isObject(e) ? e[sub.name] : undefined)) };
  if (def.type === "complex" && !forPresence) {
    // RFC 7644 §3.4.2.2 Figure 2 ("emails co …") and RFC 7643 §2.4: a complex value compared whole means its value.
    const value = findIn(def.subAttributes, "value") ?? refuse(`${def.name} has no value sub-attribute`);
    return { def: value, values: (c) => raw(c).map((e) => (isObject(e) ? e[value.name] : undefined)) };
  }
  return { def, values: raw };
}

/**
 * RFC 7644 §3.4.2.2: a multi-valued attribute matches when any value does. `ne` is the negation of `eq`, so it
 * holds for resources without the attribute (scimd's documented choice; the RFC does not say). `eq null` is
 * "not present", `ne null` "present".
 */
function leaf(r: Resolved, op: CompareOp | "pr", value?: FilterValue): Predicate {
  if (op === "pr") {
    const { values } = leafValues(r, true);
    return (c) => values(c).some(nonEmpty);
  }
  if (value && !value.quoted && lower(value.text) === "null") {
    if (op !== "eq" && op !== "ne") refuse("null compares only with eq/ne");
    const { values } = leafValues(r, true);
    return op === "eq" ? (c) => !values(c).some(nonEmpty) : (c) => values(c).some(nonEmpty);
  }
  const { def, values } = leafValues(r, false);
  const one = comparator(def, op, value ?? refuse("no value"));
  if (op === "ne") return (c) => !values(c).some((v) => v !== undefined && v !== null && one(v));
  return (c) => values(c).some((v) => v !== undefined && v !== null && one(v));
}

/** Inside `attr[…]`: paths name sub-attributes of one element. */
function elementLeaf(schemas: RefSchemas, parent: Resolved, path: RefPath, op: CompareOp | "pr", value?: FilterValue): Predicate {
  if (path.urn !== undefined || path.sub !== undefined) refuse("inside brackets a path names one sub-attribute");
  const sub = findIn(parent.def.subAttributes, path.name) ?? refuse(`unknown sub-attribute ${path.name}`);
  const dotted = `${parent.def.name}.${sub.name}`;
  if (parent.ext === undefined && unfilterable(schemas, dotted)) refuse(`${dotted} is not filterable`);
  // The element is the container; the sub-attribute is a top-level attribute of it.
  return leaf({ def: sub }, op, value);
}

function compile(schemas: RefSchemas, f: RefFilter, parent?: Resolved): Predicate {
  switch (f.k) {
    case "and": {
      const [l, r] = [compile(schemas, f.left, parent), compile(schemas, f.right, parent)];
      return (c) => l(c) && r(c);
    }
    case "or": {
      const [l, r] = [compile(schemas, f.left, parent), compile(schemas, f.right, parent)];
      return (c) => l(c) || r(c);
    }
    case "not": {
      const inner = compile(schemas, f.filter, parent);
      return (c) => !inner(c);
    }
    case "pr":
      return parent ? elementLeaf(schemas, parent, f.path, "pr") : leaf(resolve(schemas, f.path), "pr");
    case "cmp":
      return parent ? elementLeaf(schemas, parent, f.path, f.op, f.value) : leaf(resolve(schemas, f.path), f.op, f.value);
    case "vp": {
      if (parent) refuse("value filters do not nest");
      if (f.path.sub !== undefined) refuse("a value filter follows an attribute, not a sub-attribute");
      const r = resolve(schemas, f.path);
      if (r.def.type !== "complex") refuse(`${r.def.name}[…] needs a complex attribute`);
      const inner = compile(schemas, f.filter, r);
      const then = f.then ? elementLeaf(schemas, r, { name: f.then.sub }, f.then.op, f.then.value) : () => true;
      const elements = (c: Doc) => asList(r.ext === undefined ? c[r.def.name] : isObject(c[r.ext]) ? (c[r.ext] as Doc)[r.def.name] : undefined);
      // RFC 7644 §3.4.2.2 valuePath: one and the same element satisfies the whole bracketed filter.
      return (c) => elements(c).some((e) => isObject(e) && inner(e) && then(e));
    }
  }
}

/** The ids of the resources the filter selects, or "refused" when the server must answer 400 invalidFilter. */
export function referenceIds(schemas: RefSchemas, f: RefFilter, resources: Doc[]): string[] | "refused" {
  let predicate: Predicate;
  try {
    predicate = compile(schemas, f);
  } catch (e) {
    if (e instanceof Refused) return "refused";
    throw e;
  }
  return resources.filter((r) => predicate(r)).map((r) => String(r.id)).sort();
}
