// PatchResult.named: the core attributes a PATCH addressed, so that the caller can act on one kept outside the
// resource (a User's password hash), which a remove of an absent value leaves the resource unchanged for.
import { describe, expect, test } from "bun:test";
import { USER_SCHEMA } from "../../../src/scim/schema/types.ts";
import { ENT, group, patched, user } from "./helpers.ts";

describe("PatchResult.named", () => {
  const cases: [string, unknown[], string[]][] = [
    ["remove of an attribute the resource lacks", [{ op: "remove", path: "password" }], ["password"]],
    ["replace with null", [{ op: "replace", path: "password", value: null }], ["password"]],
    ["path-less keys, canonical case", [{ op: "replace", value: { PASSWORD: null, nickName: "Al" } }], ["password", "nickName"]],
    ["URN-qualified path", [{ op: "remove", path: `${USER_SCHEMA}:password` }], ["password"]],
    ["a sub-attribute names its attribute", [{ op: "replace", path: "name.givenName", value: "Al" }], ["name"]],
    ["extension attributes are not core attributes", [{ op: "replace", path: `${ENT}:department`, value: "R&D" }], []],
    ["unknown names are skipped", [{ op: "remove", path: "nosuch" }], []],
  ];
  test.each(cases)("%s", (_name, ops, named) => {
    expect([...patched(user(), ops).named]).toEqual(named);
  });

  test("a Group's members are member operations, not named attributes", () => {
    expect([...patched(group(), [{ op: "add", path: "members", value: [{ value: "u1" }] }]).named]).toEqual([]);
  });
});
