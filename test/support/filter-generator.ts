// Random filters from the RFC 7644 §3.4.2.2 grammar over the attributes /Schemas advertises, with values drawn
// from the resources themselves (so that filters match), mutated in case, cut into pieces, shifted in time,
// written as JSON escapes or bare tokens. Each filter comes with its text, printed with random casing of names,
// operators and keywords, optional URN prefixes and redundant parentheses.
import type { AttrInfo, CompareOp, FilterValue, RefFilter, RefPath, RefSchemas } from "./filter-reference";
import { type Rng, WORDS } from "./filter-fixtures";

type Doc = Record<string, unknown>;
const OPS: CompareOp[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

interface Leaf {
  path: RefPath;
  def: AttrInfo;
  /** The complex attribute a sub-attribute belongs to, for value paths. */
  parent?: AttrInfo;
  /** Every value found at this path in the resources (flattened). */
  seen: unknown[];
}

const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Every attribute and sub-attribute path, with the values the resources hold there. */
export function leavesOf(schemas: RefSchemas, common: AttrInfo[], resources: Doc[]): Leaf[] {
  const leaves: Leaf[] = [];
  const add = (urn: string | undefined, defs: AttrInfo[], at: (r: Doc) => unknown) => {
    for (const def of defs) {
      const own = resources.flatMap((r) => list((at(r) as Doc | undefined)?.[def.name]));
      leaves.push({ path: { urn, name: def.name }, def, seen: own });
      for (const sub of def.subAttributes ?? []) {
        const seen = own.flatMap((e) => (isObject(e) ? list(e[sub.name]) : []));
        leaves.push({ path: { urn, name: def.name, sub: sub.name }, def: sub, parent: def, seen });
      }
    }
  };
  add(undefined, [...common, ...schemas.core.attributes.filter((d) => !common.some((c) => c.name === d.name))], (r) => r);
  for (const ext of schemas.extensions) add(ext.id, ext.attributes, (r) => r[ext.id]);
  return leaves;
}

function mutateCase(r: Rng, s: string): string {
  switch (r.int(4)) {
    case 0:
      return s.toUpperCase();
    case 1:
      return s.toLowerCase();
    case 2:
      return [...s].map((c) => (r.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join("");
    default:
      return s;
  }
}

function piece(r: Rng, s: string): string {
  const cps = [...s];
  const from = r.int(cps.length + 1);
  return cps.slice(from, from + r.int(cps.length - from + 1)).join("");
}

function shiftedInstant(r: Rng, text: string): string {
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) return text;
  const moved = new Date(ms + r.pick([0, 0, 1, -1, 500, -3_600_000]));
  const iso = moved.toISOString();
  switch (r.int(4)) {
    case 0:
      return iso;
    case 1:
      return iso.replace(/\.(\d{3})Z$/, `.$1${r.pick(["0", "0001", "9999"])}Z`);
    case 2: {
      const plus2 = new Date(moved.getTime() + 2 * 3_600_000).toISOString();
      return plus2.replace("Z", "+02:00");
    }
    default:
      return iso.replace(".000Z", "Z");
  }
}

/** A compValue for a leaf: usually one of its own values, changed a little; sometimes anything. */
function valueFor(r: Rng, leaf: Leaf, op: CompareOp): FilterValue {
  const seen = leaf.seen.filter((v) => typeof v !== "object");
  const sample = seen.length && r.next() < 0.8 ? r.pick(seen) : undefined;
  if (r.next() < 0.04) return { quoted: false, text: r.pick(["null", "NULL"]) };
  switch (leaf.def.type) {
    case "boolean":
      if (r.next() < 0.1) return r.pick([{ quoted: false, text: "1" }, { quoted: true, text: "yes" }] as FilterValue[]);
      return { quoted: r.next() < 0.3, text: mutateCase(r, String(sample ?? r.pick([true, false]))) };
    case "integer":
    case "decimal": {
      if (r.next() < 0.05) return { quoted: r.next() < 0.5, text: r.pick(["abc", "0x10", " 12", "1e400"]) };
      const n = typeof sample === "number" ? sample + r.pick([0, 0, 1, -1, 0.5]) : r.int(50) - 5;
      return { quoted: r.next() < 0.2, text: String(n) };
    }
    case "dateTime":
      if (op === "co" || op === "sw" || op === "ew") return { quoted: true, text: piece(r, String(sample ?? "2020-01-01T")) };
      if (r.next() < 0.05) return { quoted: true, text: "yesterday" };
      return { quoted: r.next() < 0.9, text: shiftedInstant(r, String(sample ?? r.pick(["2020-01-01T10:00:00Z", "2030-06-01T00:00:00Z"]))) };
    default: {
      let text = typeof sample === "string" ? sample : r.pick(WORDS);
      if (r.next() < 0.5) text = mutateCase(r, text);
      if (op !== "eq" && op !== "ne" && r.next() < 0.6) text = piece(r, text);
      if (r.next() < 0.03) text = "";
      return { quoted: true, text };
    }
  }
}

export interface Generated {
  filter: RefFilter;
  text: string;
}

/** A random filter over `leaves` (each printed form of it parses to the same filter). */
export function randomFilter(r: Rng, leaves: Leaf[], extensionIds: string[], coreUrn: string): Generated {
  const complexMulti = leaves.filter((l) => l.path.sub === undefined && l.def.type === "complex");
  const leafNode = (pool: Leaf[], inside?: AttrInfo): Generated => {
    const leaf = r.pick(pool);
    const path: RefPath = inside ? { name: leaf.def.name } : leaf.path;
    const pathText = inside ? caseOf(r, leaf.def.name) : printPath(r, path, extensionIds, coreUrn);
    if (r.next() < 0.15) return { filter: { k: "pr", path }, text: `${pathText} ${caseOf(r, "pr")}` };
    const op = r.pick(OPS);
    const value = valueFor(r, leaf, op);
    return { filter: { k: "cmp", path, op, value }, text: `${pathText} ${caseOf(r, op)} ${printValue(r, value)}` };
  };
  const valuePath = (): Generated => {
    const attr = r.pick(complexMulti);
    const subs = leaves.filter((l) => l.parent === attr.def && l.path.urn === attr.path.urn);
    const inner = tree(2, subs, attr.def);
    const filter: RefFilter = { k: "vp", path: attr.path, filter: inner.filter };
    let text = `${printPath(r, attr.path, extensionIds, coreUrn)}[${inner.text}]`;
    if (r.next() < 0.3) {
      const sub = r.pick(subs);
      const op = r.pick(OPS);
      const value = valueFor(r, sub, op);
      filter.then = { sub: sub.def.name, op, value };
      text += `.${caseOf(r, sub.def.name)} ${caseOf(r, op)} ${printValue(r, value)}`;
    }
    return { filter, text };
  };
  const tree = (depth: number, pool: Leaf[], inside?: AttrInfo): Generated => {
    const roll = r.next();
    if (depth <= 0 || roll < 0.45) return !inside && roll < 0.12 && complexMulti.length ? valuePath() : leafNode(pool, inside);
    if (roll < 0.6) {
      const inner = tree(depth - 1, pool, inside);
      return { filter: { k: "not", filter: inner.filter }, text: `${caseOf(r, "not")} (${inner.text})` };
    }
    const k = roll < 0.8 ? "and" : "or";
    const [left, right] = [tree(depth - 1, pool, inside), tree(depth - 1, pool, inside)];
    // `and` binds tighter than `or` (RFC 7644 §3.4.2.2): an `or` under an `and` needs its parentheses.
    const wrap = (g: Generated) => ((g.filter.k === "or" && k === "and") || r.next() < 0.3 ? `(${g.text})` : g.text);
    return { filter: { k, left: left.filter, right: right.filter }, text: `${wrap(left)} ${caseOf(r, k)} ${wrap(right)}` };
  };
  return tree(3, leaves);
}

const caseOf = (r: Rng, word: string) => (r.next() < 0.15 ? mutateCase(r, word) : word);

function printPath(r: Rng, path: RefPath, extensionIds: string[], coreUrn: string): string {
  const name = `${caseOf(r, path.name)}${path.sub === undefined ? "" : `.${caseOf(r, path.sub)}`}`;
  if (path.urn !== undefined) return `${r.next() < 0.1 ? path.urn.toUpperCase() : path.urn}:${name}`;
  // `schemas` is no attribute of the core schema: qualified with its URN it is unknown (filter-reference.ts).
  return r.next() < 0.1 && path.name !== "schemas" ? `${caseOf(r, coreUrn)}:${name}` : name;
}

const BARE_WORD = /^[A-Za-z0-9_@.+:-]+$/;
const NOT_A_WORD = /^(and|or|not|true|false|null|-?\d.*)$/i;

/** A quoted value as JSON, some characters escaped; a plain word sometimes bare (as Microsoft's tools send). */
function printValue(r: Rng, value: FilterValue): string {
  if (!value.quoted) return value.text;
  if (BARE_WORD.test(value.text) && !NOT_A_WORD.test(value.text) && r.next() < 0.15) return value.text;
  let json = JSON.stringify(value.text);
  if (r.next() < 0.3) {
    // Per UTF-16 unit, as JSON writes a character outside the BMP (a surrogate pair of escapes).
    const escape = (c: string) => c.split("").map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    json = [...json].map((c) => (c.charCodeAt(0) > 0x7f && r.next() < 0.5 ? escape(c) : c)).join("");
  }
  if (r.next() < 0.1) json = json.replaceAll("/", "\\/");
  return json;
}
