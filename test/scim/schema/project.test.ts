import { describe, expect, test } from "bun:test";
import {
  parseAttributeList,
  type ProjectionOptions,
  projectResource,
  wantsAttribute,
} from "../../../src/scim/schema/project.ts";
import { createRegistry } from "../../../src/scim/schema/registry.ts";
import { ENTERPRISE_USER_SCHEMA as ENT, GROUP_SCHEMA, USER_SCHEMA } from "../../../src/scim/schema/types.ts";

const registry = createRegistry();
const meta = { resourceType: "User", created: "2024-01-01T00:00:00Z", lastModified: "2024-01-02T00:00:00Z", location: "https://h/Users/1", version: 'W/"1"' };
const stored = {
  schemas: [USER_SCHEMA, ENT],
  id: "1",
  externalId: "ext-1",
  userName: "ann@example.com",
  name: { givenName: "Ann", familyName: "Lee" },
  active: true,
  password: "hash-or-cleartext",
  emails: [
    { value: "ann@example.com", type: "work", primary: true },
    { value: "ann@home.example", type: "home" },
  ],
  [ENT]: { department: "Sales", manager: { value: "2", displayName: "Bob" } },
  meta,
};
const { password: _never, ...withoutPassword } = stored;

describe("projectResource (RFC 7644 §3.4.2.5, RFC 7643 §7 returned)", () => {
  const cases: [string, ProjectionOptions, Record<string, unknown>][] = [
    ["RFC 7643 §7: returned never (password) is always removed", {}, withoutPassword],
    ["attributes=userName keeps id (always) and schemas", { attributes: ["userName"] }, { schemas: [USER_SCHEMA], id: "1", userName: stored.userName }],
    ["names are case-insensitive", { attributes: ["USERNAME"] }, { schemas: [USER_SCHEMA], id: "1", userName: stored.userName }],
    [
      "attributes=name.givenName keeps only that sub-attribute",
      { attributes: ["name.givenName"] },
      { schemas: [USER_SCHEMA], id: "1", name: { givenName: "Ann" } },
    ],
    [
      "attributes=emails.value keeps only value in each element",
      { attributes: ["emails.value"] },
      { schemas: [USER_SCHEMA], id: "1", emails: [{ value: "ann@example.com" }, { value: "ann@home.example" }] },
    ],
    [
      "a URN-qualified attribute selects inside the extension",
      { attributes: [`${ENT}:department`] },
      { schemas: [USER_SCHEMA, ENT], id: "1", [ENT]: { department: "Sales" } },
    ],
    [
      "a bare extension URN selects the whole extension",
      { attributes: [ENT] },
      { schemas: [USER_SCHEMA, ENT], id: "1", [ENT]: stored[ENT] },
    ],
    [
      "core URN-qualified names work",
      { attributes: [`${USER_SCHEMA}:active`, "meta.lastModified"] },
      { schemas: [USER_SCHEMA], id: "1", active: true, meta: { lastModified: meta.lastModified } },
    ],
    ["attributes=password still never returns it", { attributes: ["password"] }, { schemas: [USER_SCHEMA], id: "1" }],
    ["unknown names select nothing but id", { attributes: ["bogus"] }, { schemas: [USER_SCHEMA], id: "1" }],
    [
      "excludedAttributes removes named attributes, sub-attributes and extensions",
      { excludedAttributes: ["emails", "name.familyName", ENT, "meta"] },
      { schemas: [USER_SCHEMA], id: "1", externalId: "ext-1", userName: stored.userName, name: { givenName: "Ann" }, active: true },
    ],
    [
      "excludedAttributes on an extension attribute",
      { excludedAttributes: [`${ENT}:manager`] },
      { ...withoutPassword, [ENT]: { department: "Sales" } },
    ],
    ["RFC 7643 §7: excludedAttributes=id has no effect (returned always)", { excludedAttributes: ["id"] }, withoutPassword],
    [
      "attributes and excludedAttributes together: attributes first, then exclusions",
      { attributes: ["name", "userName"], excludedAttributes: ["name.givenName"] },
      { schemas: [USER_SCHEMA], id: "1", userName: stored.userName, name: { familyName: "Lee" } },
    ],
  ];
  for (const [name, opts, expected] of cases) {
    test(name, () => expect(projectResource(registry, "User", stored, opts)).toEqual(expected));
  }

  test("the input is not modified", () => {
    const copy = structuredClone(stored);
    projectResource(registry, "User", stored, { attributes: ["name.givenName"] });
    expect(stored).toEqual(copy);
  });

  test("entra.md Groups: excludedAttributes=members omits members", () => {
    const g = { schemas: [GROUP_SCHEMA], id: "g", displayName: "Eng", members: [{ value: "1" }], meta };
    const { members: _m, ...rest } = g;
    expect(projectResource(registry, "Group", g, { excludedAttributes: ["members"] })).toEqual(rest);
  });
});

describe("wantsAttribute lets the store skip reading members (entra.md Groups)", () => {
  const cases: [ProjectionOptions, string, boolean][] = [
    [{}, "members", true],
    [{ excludedAttributes: ["members"] }, "members", false],
    [{ excludedAttributes: ["MEMBERS"] }, "members", false],
    [{ excludedAttributes: ["members.display"] }, "members", true],
    [{ attributes: ["displayName"] }, "members", false],
    [{ attributes: ["members.value"] }, "members", true],
    [{ attributes: ["members"] }, "members", true],
    [{ attributes: ["displayName"] }, "id", true],
    [{ excludedAttributes: ["id"] }, "id", true],
  ];
  for (const [opts, name, wanted] of cases) {
    test(`${JSON.stringify(opts)} ${name}`, () => expect(wantsAttribute(registry, "Group", opts, name)).toBe(wanted));
  }
  test("password is never wanted; the enterprise extension follows its URN", () => {
    expect(wantsAttribute(registry, "User", {}, "password")).toBe(false);
    expect(wantsAttribute(registry, "User", { excludedAttributes: [ENT] }, ENT)).toBe(false);
    expect(wantsAttribute(registry, "User", { attributes: [`${ENT}:department`] }, ENT)).toBe(true);
  });
});

describe("parseAttributeList (RFC 7644 §3.4.2.5: comma-separated)", () => {
  const cases: [string | undefined, string[]][] = [
    [undefined, []],
    ["", []],
    ["userName", ["userName"]],
    [" userName , name.givenName,,emails ", ["userName", "name.givenName", "emails"]],
    [`${ENT}:manager.value`, [`${ENT}:manager.value`]],
  ];
  for (const [raw, expected] of cases) test(JSON.stringify(raw), () => expect(parseAttributeList(raw)).toEqual(expected));
});
