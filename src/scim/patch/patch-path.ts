import { badRequest, fail, ok, type Result } from "../../errors.ts";
import { type AttrPath, attrPathToString, type FilterNode } from "../filter/ast.ts";
import { parsePatchPath } from "../filter/parser.ts";
import type { ResourceTypeName, SchemaRegistry } from "../schema/registry.ts";
import type { AttributeDef, SchemaDef } from "../schema/types.ts";
import { findSubAttribute } from "./coerce.ts";
import { valueFilterError } from "./value-filter.ts";

/**
 * What a PATCH path (or a key of a path-less value) points at, resolved against the schemas. `unknown`: a name
 * the tenant's schemas do not define, which the operation skips (see unknownName).
 */
export type PatchTarget =
  | { kind: "unknown" }
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
  if (!found) return unknownName(registry, resourceType, path, text);
  const { attribute, canonicalPath } = found;
  const parent = canonicalPath.slice(0, found.subAttribute ? -2 : -1);
  if (filter && !attribute.multiValued) {
    return fail(badRequest("invalidPath", `"${attribute.name}" is not multi-valued, so "${text}" cannot filter it.`));
  }
  const filterError = filter && valueFilterError(attribute, filter);
  if (filterError) return fail(filterError);
  let sub = found.subAttribute;
  if (subAttr !== undefined) {
    sub = findSubAttribute(attribute, subAttr);
    if (!sub) return attribute.type === "complex" ? ok({ kind: "unknown" }) : noSubAttributes(attribute, text);
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

/**
 * A path naming an attribute, sub-attribute or schema URN the tenant does not define is skipped, as POST drops
 * such attributes: Entra sends the attributes an admin mapped but the tenant never declared together with the
 * disable (`active` false), and a 400 would keep the disable from ever applying (entra.md "Disable"). A
 * sub-attribute of an attribute that has none (`title.sub`) names no unknown attribute: the path is wrong.
 */
function unknownName(registry: SchemaRegistry, resourceType: ResourceTypeName, path: AttrPath, text: string): Result<PatchTarget> {
  if (path.subAttr !== undefined) {
    const parentPath: AttrPath = path.uri === undefined ? { name: path.name } : { uri: path.uri, name: path.name };
    const parent = registry.findAttribute(resourceType, attrPathToString(parentPath));
    if (parent && parent.attribute.type !== "complex") return noSubAttributes(parent.attribute, text);
  }
  return ok({ kind: "unknown" });
}

const noSubAttributes = (attribute: AttributeDef, text: string): Result<PatchTarget> =>
  fail(badRequest("invalidPath", `"${attribute.name}" has no sub-attributes, so "${text}" is not a path.`));
