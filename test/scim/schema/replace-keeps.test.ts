import { describe, expect, test } from "bun:test";
import { attr } from "../../../src/scim/schema/define.ts";
import { normalizeResource } from "../../../src/scim/schema/normalize.ts";
import { attributesNamed, keepUnasserted } from "../../../src/scim/schema/replace-keeps.ts";
import { type ScimResource, USER_SCHEMA } from "../../../src/scim/schema/types.ts";
import { registryWithUserExtension } from "../../support/registries.ts";

// RFC 7644 §3.5.1: what a PUT body omits is "not asserted by the client"; null asserts "clear all values".
const EXT = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
const registry = registryWithUserExtension(EXT, [attr("pin", "A PIN.", { mutability: "writeOnly", returned: "never" }), attr("badge", "A badge.")]);

const stored: ScimResource = { schemas: [USER_SCHEMA, EXT], userName: "a", title: "T", active: false, [EXT]: { pin: "1234", badge: "B1" } };

function replaced(body: Record<string, unknown>, from: ScimResource = stored): ScimResource {
  const full = { schemas: [USER_SCHEMA], userName: "a", ...body };
  const next = normalizeResource(registry, "User", full);
  if (!next.ok) throw new Error(next.error.detail);
  const r = keepUnasserted(registry, "User", attributesNamed(registry, "User", full), from, next.value, ["active"]);
  if (!r.ok) throw new Error(r.error.detail);
  return r.value;
}

const cases: [string, Record<string, unknown>, ScimResource][] = [
  ["omitted: active and the writeOnly pin keep their values; title and badge are cleared", {}, { schemas: [USER_SCHEMA, EXT], userName: "a", active: false, [EXT]: { pin: "1234" } }],
  ["active named: it is replaced", { active: true }, { schemas: [USER_SCHEMA, EXT], userName: "a", active: true, [EXT]: { pin: "1234" } }],
  ["active named as null: cleared (the store then gives it its default)", { active: null }, { schemas: [USER_SCHEMA, EXT], userName: "a", [EXT]: { pin: "1234" } }],
  ["active named URN-qualified, in any case", { [`${USER_SCHEMA.toLowerCase()}:ACTIVE`]: true }, { schemas: [USER_SCHEMA, EXT], userName: "a", active: true, [EXT]: { pin: "1234" } }],
  ["active named inside the core URN object", { [USER_SCHEMA]: { active: true } }, { schemas: [USER_SCHEMA, EXT], userName: "a", active: true, [EXT]: { pin: "1234" } }],
  ["pin named inside the extension object: replaced", { [EXT]: { pin: "9", badge: "B2" } }, { schemas: [USER_SCHEMA, EXT], userName: "a", active: false, [EXT]: { pin: "9", badge: "B2" } }],
  ["pin named URN-qualified: replaced", { [`${EXT}:PIN`]: "9" }, { schemas: [USER_SCHEMA, EXT], userName: "a", active: false, [EXT]: { pin: "9" } }],
  ["pin named as null: cleared", { [EXT]: { pin: null, badge: "B2" } }, { schemas: [USER_SCHEMA, EXT], userName: "a", active: false, [EXT]: { badge: "B2" } }],
  ["the extension named as null: every attribute in it cleared", { [EXT]: null }, { schemas: [USER_SCHEMA], userName: "a", active: false }],
];

describe("keepUnasserted: RFC 7644 §3.5.1 PUT of a User", () => {
  test.each(cases)("%s", (_name, body, want) => expect(replaced(body)).toEqual(want));

  test("a stored resource without active or pin gets none", () => {
    expect(replaced({}, { schemas: [USER_SCHEMA], userName: "a" })).toEqual({ schemas: [USER_SCHEMA], userName: "a" });
  });

  test("without sticky names, only writeOnly attributes are kept", () => {
    const body = { schemas: [USER_SCHEMA], userName: "a" };
    const next = normalizeResource(registry, "User", body);
    const r = next.ok && keepUnasserted(registry, "User", attributesNamed(registry, "User", body), stored, next.value);
    expect(r && r.ok && r.value).toEqual({ schemas: [USER_SCHEMA, EXT], userName: "a", [EXT]: { pin: "1234" } });
  });
});
