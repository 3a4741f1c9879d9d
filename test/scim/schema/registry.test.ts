import { describe, expect, test } from "bun:test";
import { createRegistry } from "../../../src/scim/schema/registry.ts";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "../../../src/scim/schema/types.ts";
import type { SchemaDef } from "../../../src/scim/schema/types.ts";

const registry = createRegistry();

describe("findAttribute resolves paths case-insensitively (RFC 7644 §3.10: attribute names are case-insensitive)", () => {
  const cases: [string, "User" | "Group", string[], string, boolean][] = [
    ["userName", "User", ["userName"], USER_SCHEMA, false],
    ["USERNAME", "User", ["userName"], USER_SCHEMA, false],
    ["name.givenName", "User", ["name", "givenName"], USER_SCHEMA, false],
    ["NAME.GIVENNAME", "User", ["name", "givenName"], USER_SCHEMA, false],
    ["emails.value", "User", ["emails", "value"], USER_SCHEMA, false],
    ["phoneNumbers.type", "User", ["phoneNumbers", "type"], USER_SCHEMA, false],
    [`${USER_SCHEMA}:name.givenName`, "User", ["name", "givenName"], USER_SCHEMA, false],
    [`${USER_SCHEMA.toLowerCase()}:userName`, "User", ["userName"], USER_SCHEMA, false],
    // RFC 7644 §3.10: extension attributes are URN-qualified; the path starts with the URN key as stored.
    [`${ENTERPRISE_USER_SCHEMA}:manager.value`, "User", [ENTERPRISE_USER_SCHEMA, "manager", "value"], ENTERPRISE_USER_SCHEMA, true],
    [`${ENTERPRISE_USER_SCHEMA}:Department`, "User", [ENTERPRISE_USER_SCHEMA, "department"], ENTERPRISE_USER_SCHEMA, true],
    [`${ENTERPRISE_USER_SCHEMA.toUpperCase()}:employeeNumber`, "User", [ENTERPRISE_USER_SCHEMA, "employeeNumber"], ENTERPRISE_USER_SCHEMA, true],
    // RFC 7643 §3.1 common attributes.
    ["meta.lastModified", "User", ["meta", "lastModified"], USER_SCHEMA, false],
    ["id", "User", ["id"], USER_SCHEMA, false],
    ["externalId", "Group", ["externalId"], GROUP_SCHEMA, false],
    ["displayname", "Group", ["displayName"], GROUP_SCHEMA, false],
    ["members.value", "Group", ["members", "value"], GROUP_SCHEMA, false],
    ["members.$ref", "Group", ["members", "$ref"], GROUP_SCHEMA, false],
  ];
  for (const [path, type, canonical, schema, extension] of cases) {
    test(`${type} ${path}`, () => {
      const found = registry.findAttribute(type, path);
      expect(found?.canonicalPath).toEqual(canonical);
      expect(found?.schema).toBe(schema);
      expect(found?.extension).toBe(extension);
      expect(found?.subAttribute?.name).toBe(canonical.length > (extension ? 2 : 1) ? canonical.at(-1) : undefined);
    });
  }
});

describe("findAttribute rejects what is not an attribute", () => {
  const cases: [string, "User" | "Group"][] = [
    ["nope", "User"],
    ["name.nope", "User"],
    ["name.givenName.x", "User"],
    ["userName.x", "User"], // not complex: no sub-attributes
    ["members", "User"], // a Group attribute
    [`${ENTERPRISE_USER_SCHEMA}:department`, "Group"], // the extension belongs to User only
    [ENTERPRISE_USER_SCHEMA, "User"], // a bare URN is a schema, not an attribute
    [`${ENTERPRISE_USER_SCHEMA}:userName`, "User"], // core attribute under the extension URN
    [`${ENTERPRISE_USER_SCHEMA}:id`, "User"],
    ["urn:example:unknown:attr", "User"],
    ["", "User"],
    ["name.", "User"],
  ];
  for (const [path, type] of cases) {
    test(`${type} ${JSON.stringify(path)}`, () => expect(registry.findAttribute(type, path)).toBeUndefined());
  }
});

describe("schemas and resource types", () => {
  test("schemasFor lists the core schema first, then the extensions", () => {
    expect(registry.schemasFor("User").map((s) => s.id)).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    expect(registry.schemasFor("Group").map((s) => s.id)).toEqual([GROUP_SCHEMA]);
  });
  test("allSchemas and resourceTypes", () => {
    expect(registry.allSchemas().map((s) => s.id)).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA]);
    expect(registry.resourceTypes().map((t) => t.id)).toEqual(["User", "Group"]);
    expect(registry.resourceType("user")?.endpoint).toBe("/Users");
    expect(registry.schema(GROUP_SCHEMA.toLowerCase())?.id).toBe(GROUP_SCHEMA);
  });
});

describe("per-tenant extensions (nothing global is mutated)", () => {
  const custom: SchemaDef = {
    // Shares the enterprise URN as a prefix: the longest registered id wins when splitting.
    id: `${ENTERPRISE_USER_SCHEMA}:acme`,
    name: "Acme",
    description: "Acme",
    attributes: [
      {
        name: "badge",
        type: "string",
        multiValued: false,
        description: "Badge",
        required: false,
        caseExact: false,
        mutability: "readWrite",
        returned: "default",
        uniqueness: "none",
      },
    ],
  };
  const tenant = createRegistry([{ resourceType: "User", schema: custom }]);
  test("the extension resolves with the longest-prefix URN rule", () => {
    expect(tenant.findAttribute("User", `${custom.id}:badge`)?.canonicalPath).toEqual([custom.id, "badge"]);
    expect(tenant.findAttribute("User", `${ENTERPRISE_USER_SCHEMA}:department`)?.schema).toBe(ENTERPRISE_USER_SCHEMA);
  });
  test("the resource type lists it; other registries do not see it", () => {
    expect(tenant.resourceType("User")?.schemaExtensions.map((e) => e.schema)).toContain(custom.id);
    expect(registry.resourceType("User")?.schemaExtensions).toEqual([{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);
    expect(registry.findAttribute("User", `${custom.id}:badge`)).toBeUndefined();
  });
});
