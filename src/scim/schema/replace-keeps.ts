import { ok, type Result } from "../../errors.ts";
import { isPlainObject } from "./coerce.ts";
import { coreAttributesOf } from "./common-attributes.ts";
import { normalizeResource } from "./normalize.ts";
import type { ResourceTypeName, SchemaRegistry } from "./registry.ts";
import type { ScimResource } from "./types.ts";

/**
 * RFC 7644 §3.5.1: attributes a PUT body omits "MAY be assumed to be not asserted by the client", and the service
 * provider may clear them or give them a default. Most are cleared (`next` lacks them); these keep the stored value:
 * writeOnly attributes (RFC 7643 §2.2), which no client can read and so none can send back, and the core attributes
 * named in `sticky` (a User's `active`: a client that GETs, edits and PUTs without it must not re-enable a user the
 * IdP disabled). A body that names the attribute replaces it, with null too ("to clear all values", §3.5.1).
 * `named` is attributesNamed of the body, `next` the body normalized; the result is normalized as well.
 */
export function keepUnasserted(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  named: ReadonlySet<string>,
  stored: ScimResource,
  next: ScimResource,
  sticky: readonly string[] = [],
): Result<ScimResource> {
  const merged: ScimResource = { ...next };
  let kept = false;
  for (const def of coreAttributesOf(registry, resourceType)) {
    const keeps = def.mutability === "writeOnly" || sticky.includes(def.name);
    if (!keeps || named.has(def.name.toLowerCase()) || stored[def.name] === undefined) continue;
    merged[def.name] = stored[def.name];
    kept = true;
  }
  for (const schema of registry.extensionsFor(resourceType)) {
    const was = stored[schema.id];
    if (!isPlainObject(was)) continue;
    for (const def of schema.attributes) {
      if (def.mutability !== "writeOnly" || named.has(`${schema.id}:${def.name}`.toLowerCase()) || was[def.name] === undefined) continue;
      const now = merged[schema.id];
      merged[schema.id] = { ...(isPlainObject(now) ? now : {}), [def.name]: was[def.name] };
      kept = true;
    }
  }
  // Normalized again, the kept values take their place in schema order and their extension a place in `schemas`.
  return kept ? normalizeResource(registry, resourceType, merged, next) : ok(next);
}

/**
 * The attributes a body names, whatever their value (null included), as lower-cased `name` or `urn:…:name`.
 * `"urn:…": {…}` names the attributes inside; `"urn:…": null` names every attribute of that schema.
 */
export function attributesNamed(registry: SchemaRegistry, resourceType: ResourceTypeName, body: unknown): Set<string> {
  const named = new Set<string>();
  if (!isPlainObject(body)) return named;
  const add = (key: string) => {
    const found = registry.findAttribute(resourceType, key);
    if (found) named.add((found.extension ? `${found.schema}:${found.attribute.name}` : found.attribute.name).toLowerCase());
  };
  for (const [key, value] of Object.entries(body)) {
    const whole = registry.splitUrn(resourceType, key);
    if (!whole || whole.rest !== "") add(key);
    else if (isPlainObject(value)) for (const inner of Object.keys(value)) add(`${whole.schema.id}:${inner}`);
    else for (const def of whole.schema.attributes) add(`${whole.schema.id}:${def.name}`);
  }
  return named;
}
