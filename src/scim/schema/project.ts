import { isPlainObject } from "./coerce.ts";
import { coreAttributesOf } from "./common-attributes.ts";
import type { ResourceTypeName, SchemaRegistry } from "./registry.ts";
import type { AttributeDef, ScimResource } from "./types.ts";

export interface ProjectionOptions {
  attributes?: string[];
  excludedAttributes?: string[];
  /**
   * The names a POST, PUT or PATCH specified (specified-names.ts): its "request" attributes are answered. Called
   * only when a "request" attribute is met, so tenants without one never walk a (maybe 100,000-member) body.
   */
  specified?: () => string[];
}

/**
 * `?attributes=a, b.c` → ["a", "b.c"] (RFC 7644 §3.4.2.5: comma-separated). Microsoft's validator also
 * sends value filters (`emails[type eq "work"]`): the attribute is selected, the filter dropped.
 */
export function parseAttributeList(raw: string | undefined): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of raw ?? "") {
    if (ch === "[") depth++;
    else if (ch === "]") depth = Math.max(0, depth - 1);
    else if (ch === "," && depth === 0) {
      names.push(current);
      current = "";
    } else if (depth === 0) current += ch;
  }
  names.push(current);
  return names.map((s) => s.trim()).filter((s) => s !== "");
}

type Path = string[];

interface Selection {
  /** undefined: no `attributes` parameter, every "default" attribute is returned. */
  include?: Path[];
  exclude: Path[];
  specified: () => Path[];
}

/** Canonical lower-cased paths; a bare extension URN selects the whole extension. Unknown names are ignored. */
function toPaths(registry: SchemaRegistry, resourceType: ResourceTypeName, names: string[]): Path[] {
  const core = registry.coreSchema(resourceType).id;
  const paths: Path[] = [];
  for (const name of names) {
    const split = registry.splitUrn(resourceType, name);
    if (split && split.rest === "") {
      if (split.schema.id !== core) paths.push([split.schema.id.toLowerCase()]);
      continue;
    }
    const found = registry.findAttribute(resourceType, name);
    if (found) paths.push(found.canonicalPath.map((p) => p.toLowerCase()));
  }
  return paths;
}

const startsWith = (path: Path, prefix: Path) =>
  prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

function selection(registry: SchemaRegistry, resourceType: ResourceTypeName, opts: ProjectionOptions): Selection {
  const include = opts.attributes?.length ? toPaths(registry, resourceType, opts.attributes) : undefined;
  const exclude = toPaths(registry, resourceType, opts.excludedAttributes ?? []);
  let specified: Path[] | undefined;
  return { include, exclude, specified: () => (specified ??= toPaths(registry, resourceType, opts.specified?.() ?? [])) };
}

/** RFC 7643 §7 `returned` plus RFC 7644 §3.4.2.5 attributes/excludedAttributes for one node. */
function decide(def: AttributeDef | undefined, path: Path, sel: Selection, selected: boolean) {
  if (def?.returned === "never") return "drop";
  if (def?.returned === "always") return "all";
  if (sel.exclude.some((e) => startsWith(path, e))) return "drop";
  const exactly = (p: Path) => p.length === path.length && startsWith(path, p);
  const named = sel.include?.some(exactly) ?? false;
  // RFC 7643 §2.4 "request": answered to a write that specified it, else only when `attributes` names it. A write's
  // specified attribute joins the default set, so `excludedAttributes` naming it (or its extension) removes it
  // (checked above), and `attributes`, which overrides the default set (RFC 7644 §3.9, §3.4.2.5), leaves it out
  // unless it names it by its own name: with `attributes`, a write answers exactly what a GET would.
  if (def?.returned === "request" && !named && (sel.include || !sel.specified().some(exactly))) return "drop";
  if (selected || !sel.include || named) return "all";
  return sel.include.some((i) => startsWith(i, path)) ? "partial" : "drop";
}

function projectObject(
  obj: Record<string, unknown>,
  defs: AttributeDef[] | undefined,
  prefix: Path,
  sel: Selection,
  selected: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const def = defs?.find((d) => d.name.toLowerCase() === key.toLowerCase());
    const path = [...prefix, key.toLowerCase()];
    const mode = decide(def, path, sel, selected);
    if (mode === "drop") continue;
    if (def?.type !== "complex" || !def.subAttributes) {
      out[key] = value;
      continue;
    }
    const inner = (v: unknown) =>
      isPlainObject(v) ? projectObject(v, def.subAttributes, path, sel, mode === "all") : v;
    const nonEmpty = (v: unknown) => !isPlainObject(v) || Object.keys(v).length > 0;
    if (Array.isArray(value)) {
      const items = value.map(inner).filter(nonEmpty);
      if (items.length) out[key] = items;
    } else {
      const v = inner(value);
      if (nonEmpty(v)) out[key] = v;
    }
  }
  return out;
}

// The lower-cased names of the common and core attributes, once per registry and resource type.
const coreNameSets = new WeakMap<SchemaRegistry, Map<ResourceTypeName, Set<string>>>();

function coreNamesOf(registry: SchemaRegistry, resourceType: ResourceTypeName): Set<string> {
  let byType = coreNameSets.get(registry);
  if (!byType) coreNameSets.set(registry, (byType = new Map()));
  let names = byType.get(resourceType);
  if (!names) {
    names = new Set(coreAttributesOf(registry, resourceType).map((d) => d.name.toLowerCase()));
    byType.set(resourceType, names);
  }
  return names;
}

/**
 * Returns a new resource with only the attributes a response may carry: RFC 7643 §7 `returned`
 * (never: removed; always: kept; request: only when named, or specified by the write answered) and RFC 7644
 * §3.4.2.5 / §3.9.
 */
export function projectResource(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  resource: ScimResource,
  opts: ProjectionOptions = {},
): ScimResource {
  const sel = selection(registry, resourceType, opts);
  const coreDefs = coreAttributesOf(registry, resourceType);
  const extensions = new Map(registry.extensionsFor(resourceType).map((s) => [s.id.toLowerCase(), s]));
  const out: ScimResource = {};
  const present = new Set<string>();
  const coreNames = coreNamesOf(registry, resourceType);
  for (const [key, value] of Object.entries(resource)) {
    if (key === "schemas") continue;
    const ext = extensions.get(key.toLowerCase());
    if (!ext) {
      // Stored data under a schema the tenant has since removed stays stored, but is not answered: a response
      // carries no schema that /Schemas does not list.
      if (coreNames.has(key.toLowerCase())) Object.assign(out, projectObject({ [key]: value }, coreDefs, [], sel, false));
      continue;
    }
    if (!isPlainObject(value)) continue;
    const path = [ext.id.toLowerCase()];
    const mode = decide(undefined, path, sel, false);
    // An extension's attributes are top-level attributes of their schema: one "returned": "always" stays when
    // `attributes` does not name the extension or `excludedAttributes` does (RFC 7643 §2.4, RFC 7644 §3.4.2.5).
    if (mode === "drop" && !ext.attributes.some((a) => a.returned === "always")) continue;
    const projected = projectObject(value, ext.attributes, path, sel, mode === "all");
    if (Object.keys(projected).length) {
      out[key] = projected;
      present.add(key.toLowerCase());
    }
  }
  // `schemas` is always returned; an extension URN stays only while its data does, and only while the
  // registry has the extension.
  const core = registry.coreSchema(resourceType).id;
  const schemas = Array.isArray(resource.schemas) ? (resource.schemas as unknown[]) : [core, ...registry.extensionsFor(resourceType).map((s) => s.id)];
  const kept = schemas.filter((s) => typeof s === "string" && (s.toLowerCase() === core.toLowerCase() || present.has(s.toLowerCase())));
  return { schemas: kept, ...out };
}

/**
 * Whether a top-level attribute appears (wholly or partly) in the projection; lets the store skip
 * reading `members` for `excludedAttributes=members` (entra.md "Groups").
 */
export function wantsAttribute(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  opts: ProjectionOptions,
  topLevelName: string,
): boolean {
  const sel = selection(registry, resourceType, opts);
  const split = registry.splitUrn(resourceType, topLevelName);
  if (split && split.rest === "") return decide(undefined, [split.schema.id.toLowerCase()], sel, false) !== "drop";
  const found = registry.findAttribute(resourceType, topLevelName);
  if (!found) return !sel.include;
  return decide(found.attribute, found.canonicalPath.map((p) => p.toLowerCase()), sel, false) !== "drop";
}
