import type { ProjectionOptions } from "../../scim/schema/project";
import { projectResource, wantsAttribute } from "../../scim/schema/project";
import type { ResourceTypeName, SchemaRegistry } from "../../scim/schema/registry";
import { coreAttributesOf } from "../../scim/schema/common-attributes";
import type { AttributeDef, ScimResource } from "../../scim/schema/types";
import { type BaseRow, etagOf, metaOf, withIdAndMeta } from "../../store/resource-meta";

// `password` is never stored with the resource, so its returned:never does not stop the fast path.
const NOT_STORED = new Set(["password"]);

const hidden = (def: AttributeDef): boolean =>
  (!NOT_STORED.has(def.name) && (def.returned === "never" || def.returned === "request")) || (def.subAttributes ?? []).some(hidden);

interface Plain {
  /** Top-level keys a resource may have and still be its own default projection. */
  keys: Set<string>;
  /** The core schema and the extensions of the registry: what a stored `schemas` may list. */
  schemaIds: Set<string>;
}

const plainKeysCache = new WeakMap<SchemaRegistry, Map<ResourceTypeName, Plain | null>>();

/**
 * The top-level keys a stored resource may have when the default projection returns it unchanged; null when
 * some attribute of the registry is returned only on request or never, so every response must be projected.
 */
function plainKeys(registry: SchemaRegistry, resourceType: ResourceTypeName): Plain | null {
  let byType = plainKeysCache.get(registry);
  if (!byType) plainKeysCache.set(registry, (byType = new Map()));
  if (byType.has(resourceType)) return byType.get(resourceType) ?? null;
  const core = coreAttributesOf(registry, resourceType);
  const extensions = registry.extensionsFor(resourceType);
  const anyHidden = core.some(hidden) || extensions.some((e) => e.attributes.some(hidden));
  const plain = anyHidden
    ? null
    : {
        keys: new Set(["schemas", ...core.map((d) => d.name), ...extensions.map((e) => e.id)]),
        schemaIds: new Set([registry.coreSchema(resourceType).id, ...extensions.map((e) => e.id)]),
      };
  byType.set(resourceType, plain);
  return plain;
}

const isDefault = (p: ProjectionOptions) => !p.attributes?.length && !p.excludedAttributes?.length;

/**
 * A resource as the client asked for it. `derived` holds attributes that cost a query (groups, members):
 * each is computed only when the projection keeps it, so `excludedAttributes=members` never reads members.
 * `base` is the caller's fresh object and is completed in place (no copy per rendered resource).
 */
export function render(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  base: ScimResource,
  projection: ProjectionOptions,
  derived: Record<string, () => unknown[]>,
): ScimResource {
  const full = base;
  const plain = isDefault(projection) ? plainKeys(registry, resourceType) : null;
  for (const [name, load] of Object.entries(derived)) {
    if (!plain && !wantsAttribute(registry, resourceType, projection, name)) continue;
    const values = load();
    if (values.length) full[name] = values;
  }
  // The default projection of a resource holding only known, always-or-default attributes is the resource.
  if (plain && Object.keys(full).every((k) => plain.keys.has(k))) return full;
  return projectResource(registry, resourceType, full, projection);
}

const STORED_START = '{"schemas":[';

/**
 * Whether stored data (always `{"schemas":[…],…}`, written by JSON.stringify from a normalized resource)
 * has only top-level keys of the registry. Its keys are `schemas`, core attributes and the extensions its
 * `schemas` lists, so reading that list is enough. Cut at the first `"]`: if that quote was escaped inside
 * a string, the cut leaves the string open and the list does not parse.
 */
export function storedKeysKnown(data: string, plain: Plain): boolean {
  if (!data.startsWith(STORED_START)) return false;
  const end = data.indexOf('"]', STORED_START.length);
  if (end < 0) return false;
  let schemas: unknown;
  try {
    schemas = JSON.parse(data.slice(STORED_START.length - 1, end + 2));
  } catch {
    return false;
  }
  return Array.isArray(schemas) && schemas.every((s) => typeof s === "string" && plain.schemaIds.has(s));
}

/**
 * A stored resource as the JSON text `render` + JSON.stringify would give, byte for byte. When the default
 * projection returns it whole, the text is the stored data with id, meta and the derived attributes spliced
 * in: no parse and no stringify of the resource (they were most of a userName lookup's JavaScript time).
 * `etag`: meta.version when more than the row makes it (see userEtag).
 */
export function renderJson(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  row: BaseRow,
  location: string,
  projection: ProjectionOptions,
  derived: Record<string, () => unknown[]>,
  etag = etagOf(row.version),
): string {
  const plain = isDefault(projection) ? plainKeys(registry, resourceType) : null;
  if (!plain || !storedKeysKnown(row.data, plain)) {
    return JSON.stringify(render(registry, resourceType, withIdAndMeta(row, resourceType, location, undefined, etag), projection, derived));
  }
  let text = `${row.data.slice(0, -1)},"id":${JSON.stringify(row.id)},"meta":${JSON.stringify(metaOf(row, resourceType, location, etag))}`;
  for (const [name, load] of Object.entries(derived)) {
    const values = load();
    if (values.length) text += `,${JSON.stringify(name)}:${JSON.stringify(values)}`;
  }
  return `${text}}`;
}
