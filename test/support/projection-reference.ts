// The reference for `attributes` / `excludedAttributes`, written from the RFCs and the characteristics /Schemas
// advertises — not from src. RFC 7644 §3.4.2.5 and §3.9: `attributes` overrides the default set, leaving the
// minimum set plus what it names; `excludedAttributes` removes names from the default set and "SHALL have no
// effect on attributes whose schema "returned" setting is "always"". RFC 7643 §2.4: "always" is returned
// whatever the parameters say, "never" never, "request" only when `attributes` names it, or in the answer to a
// POST, PUT or PATCH that specified it. scimd's reading (README): that write makes it one of the answer's default
// attributes, so `excludedAttributes` removes it and an `attributes` that does not name it leaves it out, as it
// overrides the default set. RFC 7643 §3: `schemas`
// lists the namespaces "that define the attributes present in the current JSON structure", so an extension's
// URN leaves `schemas` with its last attribute. Names are matched in any letter case (RFC 7643 §2.1); a name
// this resource type does not define is ignored (nothing in RFC 7644 §3.4.2.5 or §3.12 makes it an error, and
// scimd's README has PATCH and POST skip undefined names the same way).
import type { Doc } from "../http/client";

export interface AttrDef {
  name: string;
  returned: "always" | "never" | "default" | "request";
  multiValued: boolean;
  subAttributes?: AttrDef[];
}

export interface SchemaDefs {
  id: string;
  attributes: AttrDef[];
}

/** A resource type as /Schemas describes it, plus RFC 7643 §3.1's common attributes. */
export interface ResourceDefs {
  core: SchemaDefs;
  extensions: SchemaDefs[];
}

export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

const sub = (name: string): AttrDef => ({ name, returned: "default", multiValued: false });

// RFC 7643 §3.1: id is returned "always"; "all of these [meta] sub-attributes have a "returned" characteristic
// of "default"". externalId is listed in scimd's core schemas already.
const COMMON: AttrDef[] = [
  { name: "id", returned: "always", multiValued: false },
  { name: "meta", returned: "default", multiValued: false, subAttributes: ["resourceType", "created", "lastModified", "location", "version"].map(sub) },
];

export const attrDef = (d: Doc): AttrDef => ({
  name: String(d.name),
  returned: (d.returned ?? "default") as AttrDef["returned"],
  multiValued: d.multiValued === true,
  ...(Array.isArray(d.subAttributes) ? { subAttributes: (d.subAttributes as Doc[]).map(attrDef) } : {}),
});

/** A name resolved to lower-cased [schema, attribute, sub-attribute] with the schema as the first step. */
type Path = string[];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const find = (defs: AttrDef[] | undefined, name: string) => defs?.find((d) => same(d.name, name));

/** RFC 7644 §3.10: `[URN ":"] attr ["." subAttr]`; undefined for a name the resource type does not define. */
export function resolve(defs: ResourceDefs, name: string): Path | undefined {
  let schema = defs.core;
  let rest = name;
  const urns = [defs.core, ...defs.extensions].filter((s) => name.toLowerCase().startsWith(s.id.toLowerCase()));
  const longest = urns.sort((a, b) => b.id.length - a.id.length)[0];
  if (longest) {
    schema = longest;
    rest = name.slice(longest.id.length);
    if (rest === "") return schema === defs.core ? undefined : [schema.id.toLowerCase()];
    if (!rest.startsWith(":")) return undefined;
    rest = rest.slice(1);
  } else if (name.toLowerCase().startsWith("urn:")) return undefined;
  const attrs = schema === defs.core ? [...COMMON, ...schema.attributes] : schema.attributes;
  const parts = rest.split(".");
  const top = find(attrs, parts[0]);
  if (!top || parts.length > 2) return undefined;
  if (parts.length === 1) return [schema.id.toLowerCase(), top.name.toLowerCase()];
  const inner = find(top.subAttributes, parts[1]);
  return inner ? [schema.id.toLowerCase(), top.name.toLowerCase(), inner.name.toLowerCase()] : undefined;
}

const isPrefix = (prefix: Path, path: Path) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

interface Selection {
  /** undefined: `attributes` was not given (or named nothing at all), so the default set applies. */
  include?: Path[];
  exclude: Path[];
  /** The "request" attributes the write answered specified. */
  specified: Path[];
}

/**
 * One attribute (or sub-attribute) at `path`: dropped, kept whole, or kept with only some of its
 * sub-attributes. `enclosingKept`: an ancestor was named in `attributes` (or there is no `attributes`).
 */
function verdict(def: AttrDef | undefined, path: Path, sel: Selection, enclosingKept: boolean): "drop" | "whole" | "part" {
  if (def?.returned === "never") return "drop";
  if (def?.returned === "always") return "whole";
  if (sel.exclude.some((e) => isPrefix(e, path))) return "drop";
  const namedExactly = sel.include?.some((i) => i.length === path.length && isPrefix(i, path)) ?? false;
  // RFC 7643 §2.4 "request": returned "only if specified in the "attributes" parameter" — by its own name — or,
  // when there is no `attributes`, because the write answered specified it.
  const specified = !sel.include && sel.specified.some((s) => s.length === path.length && isPrefix(s, path));
  if (def?.returned === "request") return namedExactly || specified ? "whole" : "drop";
  if (!sel.include || enclosingKept || namedExactly) return "whole";
  return sel.include.some((i) => isPrefix(path, i)) ? "part" : "drop";
}

const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);

function projectComplex(value: Doc, defs: AttrDef[] | undefined, path: Path, sel: Selection, kept: boolean): Doc {
  const out: Doc = {};
  for (const [key, v] of Object.entries(value)) {
    const def = find(defs, key);
    const here = [...path, key.toLowerCase()];
    const how = verdict(def, here, sel, kept);
    if (how === "drop") continue;
    if (!def?.subAttributes) {
      out[key] = v;
      continue;
    }
    const inner = (x: unknown) => (isObject(x) ? projectComplex(x, def.subAttributes, here, sel, how === "whole") : x);
    const nonEmpty = (x: unknown) => !isObject(x) || Object.keys(x).length > 0;
    if (Array.isArray(v)) {
      const items = v.map(inner).filter(nonEmpty);
      if (items.length > 0) out[key] = items;
    } else {
      const projected = inner(v);
      if (nonEmpty(projected)) out[key] = projected;
    }
  }
  return out;
}

/**
 * `full`: every attribute the resource holds, "request" ones included (the caller knows what it wrote), as the
 * server spells keys; `specified`: the names of the attributes a POST, PUT or PATCH answered specified. Returns
 * what a response must carry for `p`.
 */
export function referenceProjection(defs: ResourceDefs, full: Doc, p: Projection, specified: string[] = []): Doc {
  const resolveAll = (names: string[]) => names.map((n) => resolve(defs, n)).filter((x): x is Path => x !== undefined);
  // An `attributes` that names nothing is no parameter; one naming only undefined names leaves the minimum set.
  const sel: Selection = {
    include: p.attributes && p.attributes.length > 0 ? resolveAll(p.attributes) : undefined,
    exclude: resolveAll(p.excludedAttributes ?? []),
    specified: resolveAll(specified),
  };
  const coreKey = defs.core.id.toLowerCase();
  const core: Doc = {};
  const extensions: Doc = {};
  for (const [key, value] of Object.entries(full)) {
    if (key === "schemas") continue;
    const ext = defs.extensions.find((e) => same(e.id, key));
    if (ext && isObject(value)) {
      // The URN alone names the whole extension (`attributes=urn:…:enterprise:2.0:User`); its attributes are
      // still top-level attributes of their schema, so an "always" one stays when the extension is not named.
      const path = [ext.id.toLowerCase()];
      const whole = verdict(undefined, path, sel, false) === "whole";
      const projected = projectComplex(value, ext.attributes, path, sel, whole);
      if (Object.keys(projected).length > 0) extensions[key] = projected;
    } else {
      Object.assign(core, projectComplex({ [key]: value }, [...COMMON, ...defs.core.attributes], [coreKey], sel, false));
    }
  }
  const schemas = ((full.schemas ?? []) as string[]).filter((s) => same(s, defs.core.id) || Object.keys(extensions).some((k) => same(k, s)));
  return { schemas, ...core, ...extensions };
}
