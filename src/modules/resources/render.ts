import type { ProjectionOptions } from "../../scim/schema/project";
import { projectResource, wantsAttribute } from "../../scim/schema/project";
import type { ResourceTypeName, SchemaRegistry } from "../../scim/schema/registry";
import { commonAttributes } from "../../scim/schema/common-attributes";
import type { AttributeDef, ScimResource } from "../../scim/schema/types";

// `password` is never stored with the resource, so its returned:never does not stop the fast path.
const NOT_STORED = new Set(["password"]);

const hidden = (def: AttributeDef): boolean =>
  (!NOT_STORED.has(def.name) && (def.returned === "never" || def.returned === "request")) || (def.subAttributes ?? []).some(hidden);

const plainKeysCache = new WeakMap<SchemaRegistry, Map<ResourceTypeName, Set<string> | null>>();

/**
 * The top-level keys a stored resource may have when the default projection returns it unchanged; null when
 * some attribute of the registry is returned only on request or never, so every response must be projected.
 */
function plainKeys(registry: SchemaRegistry, resourceType: ResourceTypeName): Set<string> | null {
  let byType = plainKeysCache.get(registry);
  if (!byType) plainKeysCache.set(registry, (byType = new Map()));
  if (byType.has(resourceType)) return byType.get(resourceType) ?? null;
  const core = [...commonAttributes, ...registry.coreSchema(resourceType).attributes];
  const extensions = registry.extensionsFor(resourceType);
  const anyHidden = core.some(hidden) || extensions.some((e) => e.attributes.some(hidden));
  const keys = anyHidden ? null : new Set(["schemas", ...core.map((d) => d.name), ...extensions.map((e) => e.id)]);
  byType.set(resourceType, keys);
  return keys;
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
  if (plain && Object.keys(full).every((k) => plain.has(k))) return full;
  return projectResource(registry, resourceType, full, projection);
}
