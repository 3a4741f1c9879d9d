import type { ProjectionOptions } from "../../scim/schema/project";
import { projectResource, wantsAttribute } from "../../scim/schema/project";
import type { ResourceTypeName, SchemaRegistry } from "../../scim/schema/registry";
import type { ScimResource } from "../../scim/schema/types";

/**
 * A resource as the client asked for it. `derived` holds attributes that cost a query (groups, members):
 * each is computed only when the projection keeps it, so `excludedAttributes=members` never reads members.
 */
export function render(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  base: ScimResource,
  projection: ProjectionOptions,
  derived: Record<string, () => unknown[]>,
): ScimResource {
  const full: ScimResource = { ...base };
  for (const [name, load] of Object.entries(derived)) {
    if (!wantsAttribute(registry, resourceType, projection, name)) continue;
    const values = load();
    if (values.length) full[name] = values;
  }
  return projectResource(registry, resourceType, full, projection);
}
