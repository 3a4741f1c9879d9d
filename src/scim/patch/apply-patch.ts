import { fail, ok, type Result, ScimError } from "../../errors.ts";
import type { ResourceTypeName, SchemaRegistry } from "../schema/registry.ts";
import { checkImmutable, normalizeResource } from "../schema/normalize.ts";
import type { ScimResource } from "../schema/types.ts";
import { applyOperation, type PatchContext } from "./apply-operation.ts";
import { deepEqual, type JsonObject } from "./json.ts";
import { parsePatchRequest } from "./parse-operations.ts";
import type { PatchResult } from "./types.ts";

/**
 * RFC 7644 §3.5.2: applies a PatchOp request to `resource` and returns the new resource. Pure: the
 * input is never modified, and any failing operation fails the whole request ("each operation
 * ... SHALL be applied ... or none", §3.5.2), so the caller keeps the old resource.
 * Group members are not in `resource`; every operation on `members` becomes a MemberOp instead.
 */
export function applyPatch(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  resource: ScimResource,
  body: unknown,
): Result<PatchResult> {
  const operations = parsePatchRequest(body);
  if (!operations.ok) return operations;
  const ctx: PatchContext = { registry, resourceType, doc: { ...resource } as JsonObject, members: [], owned: new Set(), comparisons: { made: 0 }, named: new Set() };
  for (const [index, operation] of operations.value.entries()) {
    const r = applyOperation(ctx, operation);
    if (!r.ok) return fail(new ScimError(r.error.status, `Operations[${index}]: ${r.error.detail}`, r.error.scimType));
  }

  // Values no operation touched are the stored resource's, normalized when it was written.
  const normalized = normalizeResource(registry, resourceType, ctx.doc, resource);
  if (!normalized.ok) return normalized;
  const immutable = checkImmutable(registry, resourceType, resource, normalized.value);
  if (!immutable.ok) return immutable;
  // normalizeResource drops readOnly attributes (id, meta, groups) as it would from a POST body;
  // PATCH cannot change them (checked per path), so the input's values stand.
  const result: ScimResource = { ...readOnlyOf(registry, resourceType, resource), ...normalized.value };
  const changed = ctx.members.length > 0 || !sameResource(result, resource);
  return ok({ resource: result, members: ctx.members, changed, named: ctx.named });
}

/** deepEqual, except that the order of `schemas` carries no meaning (RFC 7643 §3), so it alone is no change. */
/** Whether two resources hold the same values (`schemas` compared as a set): a write of `b` over `a` changes nothing. */
export function sameResource(a: ScimResource, b: ScimResource): boolean {
  const keys = Object.keys(a).filter((key) => a[key] !== undefined);
  if (keys.length !== Object.keys(b).filter((key) => b[key] !== undefined).length) return false;
  return keys.every((key) => (key === "schemas" ? sameSchemas(a[key], b[key]) : deepEqual(a[key], b[key])));
}

const sortedNames = (list: unknown[]) => list.map(String).sort();

const sameSchemas = (a: unknown, b: unknown) =>
  deepEqual(a, b) || (Array.isArray(a) && Array.isArray(b) && deepEqual(sortedNames(a), sortedNames(b)));

function readOnlyOf(registry: SchemaRegistry, resourceType: ResourceTypeName, resource: ScimResource): ScimResource {
  const kept: ScimResource = {};
  for (const [key, value] of Object.entries(resource)) {
    if (registry.findAttribute(resourceType, key)?.attribute.mutability === "readOnly") kept[key] = value;
  }
  return kept;
}
