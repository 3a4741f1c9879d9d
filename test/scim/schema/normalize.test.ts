import { describe, expect, test } from "bun:test";
import { checkImmutable, normalizeResource } from "../../../src/scim/schema/normalize.ts";
import { createRegistry } from "../../../src/scim/schema/registry.ts";
import {
  ENTERPRISE_USER_SCHEMA as ENT,
  ENTRA_GROUP_SCHEMA,
  GROUP_SCHEMA,
  type SchemaDef,
  USER_SCHEMA,
} from "../../../src/scim/schema/types.ts";

const registry = createRegistry();
const group = (body: unknown) => normalizeResource(registry, "Group", body);

// The body Entra's provisioning service POSTs (Microsoft "Develop a SCIM endpoint", request 1).
const entraCreate = {
  schemas: [USER_SCHEMA, ENT],
  externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  userName: "Test_User_ab6490ee@testuser.com",
  active: true,
  emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b@testuser.com" }],
  meta: { resourceType: "User" },
  name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
  roles: [],
};

describe("normalizeResource: accepted shapes and their canonical form", () => {
  const cases: [string, unknown, Record<string, unknown>][] = [
    [
      "entra.md Create: core + enterprise URNs, meta, roles: [] (meta ignored, roles absent, no enterprise data)",
      entraCreate,
      {
        schemas: [USER_SCHEMA],
        externalId: entraCreate.externalId,
        userName: entraCreate.userName,
        name: entraCreate.name,
        active: true,
        emails: entraCreate.emails,
      },
    ],
    [
      "entra.md Create: explicit nulls mean absent",
      { userName: "a", displayName: null, nickName: "", name: { givenName: null, familyName: "F" }, phoneNumbers: null },
      { schemas: [USER_SCHEMA], userName: "a", name: { familyName: "F" } },
    ],
    [
      "entra.md Create: unknown and misspelt schema URNs are dropped, the core URN always present",
      { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Usr", "urn:foo"], userName: "a" },
      { schemas: [USER_SCHEMA], userName: "a" },
    ],
    [
      "RFC 7644 §3.10 / entra.md: attribute names in any case become canonical",
      { USERNAME: "a", Name: { GIVENNAME: "G" }, EMAILS: [{ VALUE: "a@x", Type: "work" }] },
      { schemas: [USER_SCHEMA], userName: "a", name: { givenName: "G" }, emails: [{ value: "a@x", type: "work" }] },
    ],
    [
      "entra.md Other shapes: \"True\"/\"False\" strings become JSON booleans (active, primary)",
      { userName: "a", active: "False", emails: [{ value: "a@x", primary: "True" }] },
      { schemas: [USER_SCHEMA], userName: "a", active: false, emails: [{ value: "a@x", primary: true }] },
    ],
    [
      "entra.md Other shapes: manager as a bare id becomes {value}",
      { userName: "a", [ENT]: { manager: "mgr-1", department: "Sales" } },
      { schemas: [USER_SCHEMA, ENT], userName: "a", [ENT]: { department: "Sales", manager: { value: "mgr-1" } } },
    ],
    [
      "entra.md (aadOptscim062020): URN-qualified flat keys fold into the extension object",
      { userName: "a", [`${ENT}:department`]: "Sales", [`${ENT}:manager.value`]: "m", [`${ENT}:employeeNumber`]: "7" },
      { schemas: [USER_SCHEMA, ENT], userName: "a", [ENT]: { employeeNumber: "7", department: "Sales", manager: { value: "m" } } },
    ],
    [
      "an extension object of nulls is no extension data (schemas omits the URN)",
      { schemas: [USER_SCHEMA, ENT], userName: "a", [ENT]: { department: null, manager: "" } },
      { schemas: [USER_SCHEMA], userName: "a" },
    ],
    [
      "dotted keys merge with the complex object",
      { userName: "a", name: { givenName: "G" }, "name.familyName": "F" },
      { schemas: [USER_SCHEMA], userName: "a", name: { givenName: "G", familyName: "F" } },
    ],
    [
      "RFC 7643 §2.4: a single value of a multi-valued attribute becomes an array; a string element becomes {value}",
      { userName: "a", emails: "a@x", phoneNumbers: { value: "1", type: "mobile" }, roles: ["admin"] },
      {
        schemas: [USER_SCHEMA],
        userName: "a",
        emails: [{ value: "a@x" }],
        phoneNumbers: [{ value: "1", type: "mobile" }],
        roles: [{ value: "admin" }],
      },
    ],
    [
      "elements whose value is null are no elements",
      { userName: "a", phoneNumbers: [{ type: "mobile", value: null }, { type: "work", value: "1" }] },
      { schemas: [USER_SCHEMA], userName: "a", phoneNumbers: [{ type: "work", value: "1" }] },
    ],
    [
      "RFC 7643 §2.2: readOnly id, meta, groups and manager.displayName are ignored on input; unknown attributes dropped",
      { id: "x", userName: "a", groups: [{ value: "g" }], bogus: 1, [ENT]: { manager: { value: "m", displayName: "M" } } },
      { schemas: [USER_SCHEMA, ENT], userName: "a", [ENT]: { manager: { value: "m" } } },
    ],
    [
      "canonicalValues are not enforced on type (custom types); timezone is any string (entra.md)",
      { userName: "a", emails: [{ value: "a@x", type: "corporate" }], timezone: "qwerty-not-a-zone" },
      { schemas: [USER_SCHEMA], userName: "a", timezone: "qwerty-not-a-zone", emails: [{ value: "a@x", type: "corporate" }] },
    ],
    [
      "password (writeOnly) is kept for the store to hash",
      { userName: "a", password: "s3cret" },
      { schemas: [USER_SCHEMA], userName: "a", password: "s3cret" },
    ],
    [
      "entra.md Groups: create with the extra ADSCIM URN and no members",
      { schemas: [GROUP_SCHEMA, ENTRA_GROUP_SCHEMA], displayName: "Eng", externalId: "e1", members: [] },
      { schemas: [GROUP_SCHEMA], externalId: "e1", displayName: "Eng" },
    ],
    [
      "entra.md member add shape: $ref null dropped; display kept (RFC 7643 §2.4: immutable)",
      { displayName: "Eng", members: [{ $ref: null, value: "u1" }, { value: "g2", type: "Group", display: "x" }] },
      { schemas: [GROUP_SCHEMA], displayName: "Eng", members: [{ value: "u1" }, { value: "g2", type: "Group", display: "x" }] },
    ],
  ];
  for (const [name, body, expected] of cases) {
    test(name, () => {
      const r = normalizeResource(registry, (expected.schemas as string[])[0] === GROUP_SCHEMA ? "Group" : "User", body);
      if (!r.ok) throw r.error;
      expect(r.value).toEqual(expected);
    });
  }
  test("a User body's enterprise data is dropped for a Group", () => {
    const r = group({ displayName: "g", [`${ENT}:department`]: "x" });
    expect(r.ok && r.value).toEqual({ schemas: [GROUP_SCHEMA], displayName: "g" });
  });
});

describe("normalizeResource: rejected shapes", () => {
  const cases: [string, "User" | "Group", unknown, string, RegExp][] = [
    ["RFC 7644 §3.12: a body that is not an object", "User", [], "invalidSyntax", /JSON object/],
    ["a string body", "User", "x", "invalidSyntax", /JSON object/],
    ["null body", "User", null, "invalidSyntax", /JSON object/],
    ["RFC 7643 §4.1.1: userName is required", "User", { displayName: "a" }, "invalidValue", /userName/],
    ["userName empty is absent, so missing", "User", { userName: "" }, "invalidValue", /userName/],
    ["RFC 7643 §4.2: displayName is required", "Group", { members: [] }, "invalidValue", /displayName/],
    ["userName must be a string", "User", { userName: 42 }, "invalidValue", /userName/],
    ["active must be a boolean", "User", { userName: "a", active: "yes" }, "invalidValue", /active/],
    ["name must be an object", "User", { userName: "a", name: "Jo" }, "invalidValue", /'name'/],
    ["name.givenName must be a string", "User", { userName: "a", name: { givenName: 1 } }, "invalidValue", /name\.givenName/],
    ["single-valued attribute given an array", "User", { userName: "a", title: ["x", "y"] }, "invalidValue", /title/],
    ["emails[].value must be a string", "User", { userName: "a", emails: [{ value: 5 }] }, "invalidValue", /emails\.value/],
    ["primary must be a boolean", "User", { userName: "a", emails: [{ value: "x", primary: "maybe" }] }, "invalidValue", /emails\.primary/],
    [
      "RFC 7643 §2.4: at most one primary: true",
      "User",
      { userName: "a", emails: [{ value: "x", primary: true }, { value: "y", primary: "True" }] },
      "invalidValue",
      /primary/,
    ],
    ["an extension value must be an object", "User", { userName: "a", [ENT]: "x" }, "invalidValue", new RegExp(ENT)],
    ["manager as a number", "User", { userName: "a", [ENT]: { manager: 5 } }, "invalidValue", /manager\.value/],
    ["emails.value on a multi-valued attribute without a filter", "User", { userName: "a", "emails.value": "x" }, "invalidValue", /emails\.value/],
    ["externalId must be a string", "User", { userName: "a", externalId: true }, "invalidValue", /externalId/],
  ];
  for (const [name, type, body, scimType, detail] of cases) {
    test(name, () => {
      const r = normalizeResource(registry, type, body);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.status).toBe(400);
      expect(r.error.scimType).toBe(scimType as never);
      expect(r.error.detail).toMatch(detail);
    });
  }
});

describe("type checks of integer, decimal and dateTime (RFC 7643 §2.3) via a tenant extension", () => {
  const base = { multiValued: false, description: "", required: false, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "none" } as const;
  const ext: SchemaDef = {
    id: "urn:example:ext:1.0:User",
    name: "Ext",
    description: "",
    attributes: [
      { ...base, name: "level", type: "integer" },
      { ...base, name: "score", type: "decimal" },
      { ...base, name: "hired", type: "dateTime" },
      { ...base, name: "badge", type: "string", mutability: "immutable" },
    ],
  };
  const tenant = createRegistry([{ resourceType: "User", schema: ext }]);
  const cases: [unknown, unknown, boolean][] = [
    [{ level: 3 }, { level: 3 }, true],
    [{ level: 3.5 }, undefined, false],
    [{ level: "3" }, undefined, false],
    [{ score: 3.5 }, { score: 3.5 }, true],
    [{ score: "x" }, undefined, false],
    [{ hired: "2024-01-02T03:04:05Z" }, { hired: "2024-01-02T03:04:05Z" }, true],
    [{ hired: "2024-01-02T03:04:05.123+02:00" }, { hired: "2024-01-02T03:04:05.123+02:00" }, true],
    [{ hired: "yesterday" }, undefined, false],
    [{ hired: "2024-13-45T99:00:00Z" }, undefined, false],
  ];
  for (const [value, stored, valid] of cases) {
    test(JSON.stringify(value), () => {
      const r = normalizeResource(tenant, "User", { userName: "a", [ext.id]: value });
      expect(r.ok).toBe(valid);
      if (r.ok) expect(r.value[ext.id]).toEqual(stored);
      else expect(r.error.scimType).toBe("invalidValue");
    });
  }

  describe("checkImmutable (RFC 7643 §2.2: set once, never changed)", () => {
    const withBadge = (badge?: string) => ({ schemas: [USER_SCHEMA, ext.id], userName: "a", [ext.id]: badge ? { badge } : {} });
    const cases: [string, Record<string, unknown>, Record<string, unknown>, boolean][] = [
      ["unset → set is allowed", withBadge(), withBadge("b1"), true],
      ["unchanged is allowed", withBadge("b1"), withBadge("b1"), true],
      ["changed is refused", withBadge("b1"), withBadge("b2"), false],
      ["cleared is refused", withBadge("b1"), { schemas: [USER_SCHEMA], userName: "a" }, false],
    ];
    for (const [name, before, after, allowed] of cases) {
      test(name, () => {
        const r = checkImmutable(tenant, "User", before, after);
        expect(r.ok).toBe(allowed);
        if (!r.ok) expect([r.error.status, r.error.scimType]).toEqual([400, "mutability"]);
      });
    }
    test("members.value is immutable per element: replacing the member list is allowed", () => {
      const r = checkImmutable(registry, "Group", { displayName: "g", members: [{ value: "u1" }] }, { displayName: "g", members: [{ value: "u2" }] });
      expect(r.ok).toBe(true);
    });
  });
});
