import { describe, expect, test } from "bun:test";
import { Kind } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { Elysia } from "elysia";
import { errorBox, listResponseBox, patchOpBox, resourceTypeBox, toTypeBox } from "../../../src/scim/schema/openapi.ts";
import { createRegistry } from "../../../src/scim/schema/registry.ts";
import { ENTERPRISE_USER_SCHEMA as ENT, USER_SCHEMA } from "../../../src/scim/schema/types.ts";
import { userSchema } from "../../../src/scim/schema/user-schema.ts";

const registry = createRegistry();
const userBox = resourceTypeBox(registry, "User");
const user = {
  schemas: [USER_SCHEMA, ENT],
  id: "1",
  userName: "ann",
  active: true,
  emails: [{ value: "a@x", primary: true }],
  [ENT]: { department: "Sales", manager: { value: "2" }, custom: 1 },
  "urn:example:custom:1.0:User": { badge: "7" },
  meta: { resourceType: "User", created: "2024-01-01T00:00:00Z" },
};

describe("resourceTypeBox", () => {
  // style.md trap: Elysia's normalize strips undeclared properties from bodies and responses.
  for (const normalize of [true, "typebox"] as const) {
    test(`extension attributes survive Elysia (normalize: ${normalize})`, async () => {
      const app = new Elysia({ normalize }).post("/", ({ body }) => body, { body: userBox, response: userBox });
      const res = await app.handle(
        new Request("http://localhost/", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(user) }),
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(user);
    });
  }
  test("Value.Clean keeps them too", () => {
    expect(Value.Clean(userBox, structuredClone(user))).toEqual(user);
    expect(Value.Check(userBox, user)).toBe(true);
  });
  test("describes core, common and extension attributes; password is not in responses", () => {
    expect(Object.keys(userBox.properties)).toEqual(expect.arrayContaining(["schemas", "id", "meta", "userName", "emails", ENT]));
    expect(userBox.properties.password).toBeUndefined();
    expect(userBox.required).toEqual(["schemas", "id"]);
    expect(userBox.properties.groups).toMatchObject({ type: "array", readOnly: true });
  });
  const invalid: [string, unknown][] = [
    ["active as a string", { ...user, active: "True" }],
    ["emails not an array", { ...user, emails: { value: "x" } }],
    ["no id", { schemas: [USER_SCHEMA] }],
  ];
  for (const [name, value] of invalid) test(`response check rejects ${name}`, () => expect(Value.Check(userBox, value)).toBe(false));
  test("input mode accepts every Entra shape and documents password", () => {
    const input = resourceTypeBox(registry, "User", { input: true });
    expect(Value.Check(input, { schemas: ["urn:x"], userName: "a", active: "True", roles: [], manager: null })).toBe(true);
    expect(input.properties.password).toBeDefined();
    expect(input.properties.groups).toBeUndefined();
  });
  test("toTypeBox of one schema is open", () => {
    expect(toTypeBox(userSchema).additionalProperties).toMatchObject({ [Kind]: "Unknown" });
  });
});

describe("message boxes (RFC 7644 §3.4.2, §3.5.2, §3.12)", () => {
  const cases: [string, ReturnType<typeof listResponseBox> | typeof patchOpBox | typeof errorBox, unknown, boolean][] = [
    ["list", listResponseBox(userBox), { schemas: [], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [user] }, true],
    ["list without Resources", listResponseBox(userBox), { schemas: [], totalResults: 0 }, false],
    ["patch (Entra op case)", patchOpBox, { schemas: [], Operations: [{ op: "Replace", path: "active", value: "False" }] }, true],
    ["patch without op", patchOpBox, { schemas: [], Operations: [{ path: "active" }] }, false],
    ["error", errorBox, { schemas: [], status: "400", scimType: "invalidValue", detail: "x" }, true],
    ["error with numeric status", errorBox, { schemas: [], status: 400 }, false],
  ];
  for (const [name, box, value, valid] of cases) test(name, () => expect(Value.Check(box, value)).toBe(valid));
});
