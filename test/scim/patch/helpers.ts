import { expect } from "bun:test";
import type { ScimType } from "../../../src/errors.ts";
import { applyPatch, type PatchResult } from "../../../src/scim/patch/index.ts";
import { createRegistry, type ResourceTypeName, type SchemaRegistry } from "../../../src/scim/schema/registry.ts";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, type ScimResource, USER_SCHEMA } from "../../../src/scim/schema/types.ts";

export const registry = createRegistry();
export const ENT = ENTERPRISE_USER_SCHEMA;

const meta = (resourceType: string, id: string) => ({
  resourceType,
  created: "2024-01-01T00:00:00Z",
  lastModified: "2024-01-01T00:00:00Z",
  location: `https://scim.example.com/scim/v2/t1/${resourceType}s/${id}`,
  version: 'W/"1"',
});

/** A stored user as GET returns it. Deep-frozen: any write to the input fails the test. */
export const user = (): ScimResource =>
  deepFreeze({
    schemas: [USER_SCHEMA, ENT],
    id: "u1",
    externalId: "ext-1",
    userName: "alice@example.com",
    name: { givenName: "Alice", familyName: "Smith" },
    displayName: "Alice Smith",
    active: true,
    emails: [{ value: "alice@example.com", type: "work", primary: true }],
    phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
    addresses: [{ type: "work", streetAddress: "1 Main St", locality: "Springfield" }],
    [ENT]: { employeeNumber: "42", department: "Sales", manager: { value: "m1" } },
    meta: meta("User", "u1"),
  });

export const group = (): ScimResource =>
  deepFreeze({ schemas: [GROUP_SCHEMA], id: "g1", displayName: "Engineering", externalId: "ext-g", meta: meta("Group", "g1") });

export const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

export function patch(
  resource: ScimResource,
  operations: unknown[],
  resourceType: ResourceTypeName = resource.id === "g1" ? "Group" : "User",
  reg: SchemaRegistry = registry,
) {
  return applyPatch(reg, resourceType, resource, body(...operations));
}

/** The successful result, failing the test with the error's detail otherwise. */
export function patched(resource: ScimResource, operations: unknown[], resourceType?: ResourceTypeName): PatchResult {
  const r = patch(resource, operations, resourceType);
  if (!r.ok) throw new Error(`expected success, got ${r.error.status} ${r.error.scimType}: ${r.error.detail}`);
  return r.value;
}

export function expectError(r: ReturnType<typeof applyPatch>, status: number, scimType: ScimType | undefined) {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect({ status: r.error.status, scimType: r.error.scimType }).toEqual({ status, scimType });
  expect(r.error.detail.length).toBeGreaterThan(0);
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
