import { badRequest, fail, ok, type Result } from "../../errors.ts";
import { attrPathToString, type FilterNode } from "../filter/ast.ts";
import { parsePatchPath } from "../filter/parser.ts";
import type { ResourceTypeName, SchemaRegistry } from "../schema/registry.ts";
import type { AttributeDef, SchemaDef } from "../schema/types.ts";
import { findSubAttribute } from "./coerce.ts";

/** What a PATCH path (or a key of a path-less value) points at, resolved against the schemas. */
export type PatchTarget =
  | { kind: "extension"; schema: SchemaDef }
  | {
      kind: "attribute";
      /** Canonical keys of the object holding the attribute: [] or [extension URN]. */
      parent: string[];
      attribute: AttributeDef;
      filter?: FilterNode;
      /** `name.givenName`, or `emails[type eq "work"].value`. */
      sub?: AttributeDef;
    };

/** RFC 7644 §3.5.2: `attrPath`, `valuePath [subAttr]`, URN-qualified forms and a bare extension URN. */
export function resolvePatchPath(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  text: string,
): Result<PatchTarget> {
  const parsed = parsePatchPath(text);
  if (!parsed.ok) return parsed;
  const { path, filter, subAttr } = parsed.value;
  const attrText = attrPathToString(path);

  const split = registry.splitUrn(resourceType, attrText);
  if (split && split.rest === "") {
    const isExtension = split.schema.id !== registry.coreSchema(resourceType).id;
    if (!isExtension || filter) return fail(badRequest("invalidPath", `"${text}" is not an attribute path.`));
    return ok({ kind: "extension", schema: split.schema });
  }

  const found = registry.findAttribute(resourceType, attrText);
  if (!found) return fail(badRequest("invalidPath", `Unknown attribute "${attrText}" in path "${text}".`));
  const { attribute, canonicalPath } = found;
  const parent = canonicalPath.slice(0, found.subAttribute ? -2 : -1);
  if (filter && !attribute.multiValued) {
    return fail(badRequest("invalidPath", `"${attribute.name}" is not multi-valued, so "${text}" cannot filter it.`));
  }
  let sub = found.subAttribute;
  if (subAttr !== undefined) {
    sub = findSubAttribute(attribute, subAttr);
    if (!sub) return fail(badRequest("invalidPath", `"${attribute.name}" has no sub-attribute "${subAttr}".`));
  }
  // RFC 7643 §2.2 readOnly: "The attribute SHALL NOT be modified."
  if (attribute.mutability === "readOnly" || sub?.mutability === "readOnly") {
    const name = sub ? `${attribute.name}.${sub.name}` : attribute.name;
    return fail(badRequest("mutability", `Attribute "${name}" is readOnly and cannot be modified.`));
  }
  const target: PatchTarget = { kind: "attribute", parent, attribute };
  if (filter) target.filter = filter;
  if (sub) target.sub = sub;
  return ok(target);
}
