import { describe, expect, test } from "bun:test";
import type { ScimType } from "../../../src/errors.ts";
import { applyPatch } from "../../../src/scim/patch/index.ts";
import { attr } from "../../../src/scim/schema/define.ts";
import { type ScimResource, USER_SCHEMA } from "../../../src/scim/schema/types.ts";
import { body, deepFreeze, ENT, expectError, group, patched, user } from "./helpers.ts";
import { registryWithUserExtension } from "../../support/registries.ts";

// entra.md "Disable": Entra sends the attributes an admin mapped but the tenant never declared in the same PATCH as
// `active` false, and retries forever when that PATCH fails. POST drops such attributes (entra.md "Create"), so
// PATCH skips an operation naming an attribute, sub-attribute or schema URN the tenant does not define, and
// applies the others. What is wrong for every schema still fails the whole request (RFC 7644 §3.5.2).

const CUSTOM = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";
/** A schema this tenant declared (src/modules/custom-schemas): its attributes are validated like any other. */
const ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
const registry = registryWithUserExtension(ACME, [
  attr("badge", "Badge number.", { type: "integer" }),
  attr("hired", "Set once.", { mutability: "immutable" }),
  attr("skills", "Skills.", { multiValued: true }),
]);
const acmeUser = () => deepFreeze({ ...user(), schemas: [USER_SCHEMA, ENT, ACME], [ACME]: { badge: 7, hired: "2020", skills: ["go"] } });
const run = (resource: ScimResource, ops: unknown[], resourceType: "User" | "Group" = "User") =>
  applyPatch(registry, resourceType, resource, body(...ops));

const disable = { op: "Replace", path: "active", value: "False" };

interface Skipped {
  name: string;
  resource?: () => ScimResource;
  ops: unknown[];
  /** The resource afterwards; the input when absent. */
  want?: (input: ScimResource) => ScimResource;
}

const skipped: Skipped[] = [
  {
    name: "entra.md Disable: an extension URN the tenant never declared, sent with the disable",
    ops: [{ op: "Add", path: `${CUSTOM}:CustomAttribute`, value: "x" }, disable],
    want: (u) => ({ ...u, active: false }),
  },
  {
    name: "entra.md Disable (aadOptscim062020): a path-less replace with the undeclared URN-qualified key and active",
    ops: [{ op: "replace", value: { [`${CUSTOM}:CustomAttribute`]: "x", active: false } }],
    want: (u) => ({ ...u, active: false }),
  },
  {
    name: "§3.5.2 the bare undeclared URN as path, and as a key of a path-less value",
    ops: [{ op: "add", path: CUSTOM, value: { CustomAttribute: "x" } }, { op: "replace", value: { [CUSTOM]: { CustomAttribute: "x" }, title: "T" } }],
    want: (u) => ({ ...u, title: "T" }),
  },
  {
    name: "entra.md Create (misspelt names): an Enterprise attribute that does not exist (costCentre)",
    ops: [{ op: "Replace", path: `${ENT}:costCentre`, value: "4130" }, { op: "Replace", path: `${ENT}:department`, value: "R&D" }],
    want: (u) => ({ ...u, [ENT]: { ...(u[ENT] as object), department: "R&D" } }),
  },
  {
    name: "§3.5.2 under the Enterprise URN key of a path-less value, the unknown key is skipped and the known one applied",
    ops: [{ op: "replace", value: { [ENT]: { costCentre: "4130", department: "R&D" } } }],
    want: (u) => ({ ...u, [ENT]: { ...(u[ENT] as object), department: "R&D" } }),
  },
  { name: "RFC 7643 §2.1: a plain unknown attribute (foo), any op", ops: [{ op: "add", path: "foo", value: "x" }, { op: "replace", path: "foo", value: "x" }, { op: "remove", path: "foo" }] },
  { name: "RFC 7643 §2.1: the core URN with an unknown attribute", ops: [{ op: "replace", path: `${USER_SCHEMA}:foo`, value: "x" }] },
  { name: "RFC 7643 §2.1: an unknown sub-attribute of a complex attribute (name.nick), as POST and path name drop it", ops: [{ op: "replace", path: "name.nick", value: "x" }] },
  { name: '§3.5.2 valuePath: an unknown sub-attribute after the filter (emails[type eq "work"].foo)', ops: [{ op: "replace", path: 'emails[type eq "work"].foo', value: "x" }] },
  { name: "§3.5.2 valuePath: an unknown attribute with a filter", ops: [{ op: "remove", path: 'foo[type eq "work"].bar' }] },
  { name: "a declared custom schema: an attribute it does not declare", resource: acmeUser, ops: [{ op: "replace", path: `${ACME}:floor`, value: 3 }, disable], want: (u) => ({ ...u, active: false }) },
  {
    name: "RFC 7643 §4.2 members is no User attribute: skipped as POST /Users drops it",
    ops: [{ op: "add", path: "members", value: [{ value: "a" }] }],
  },
];

describe("applyPatch: an operation naming what the tenant's schemas do not define is skipped", () => {
  test.each(skipped)("$name", ({ resource = user, ops, want = (u) => u }) => {
    const input = resource();
    const r = run(input, ops);
    if (!r.ok) throw new Error(`${r.error.scimType}: ${r.error.detail}`);
    const wanted = want(input);
    expect(r.value.resource).toEqual(wanted);
    expect(r.value.changed).toBe(!Bun.deepEquals(wanted, input));
    expect(r.value.members).toEqual([]);
  });

  test("Groups: the same rule (an unknown attribute beside a displayName change)", () => {
    const r = patched(group(), [{ op: "replace", path: "foo", value: "x" }, { op: "replace", value: { [`${CUSTOM}:x`]: 1, displayName: "Platform" } }]);
    expect(r.resource).toEqual({ ...group(), displayName: "Platform" });
  });
});

const stillWrong: [string, ScimResource, unknown[], ScimType][] = [
  ["§3.5.2 a malformed path (name..givenName) → invalidPath", user(), [disable, { op: "replace", path: "name..givenName", value: "x" }], "invalidPath"],
  ["§3.5.2 a sub-attribute of an attribute that has none (title.sub) → invalidPath", user(), [disable, { op: "replace", path: "title.sub", value: "x" }], "invalidPath"],
  ["§3.5.2 a value filter on a single-valued attribute → invalidPath", user(), [disable, { op: "replace", path: 'name[givenName eq "x"]', value: {} }], "invalidPath"],
  ["§3.5.2 a malformed value filter, even on an unknown attribute → invalidFilter", user(), [disable, { op: "remove", path: "foo[type eq]" }], "invalidFilter"],
  ["RFC 7643 §2.2 readOnly id beside an unknown URN → mutability", user(), [{ op: "add", path: `${CUSTOM}:x`, value: "x" }, { op: "replace", path: "id", value: "u2" }], "mutability"],
  ["RFC 7643 §2.3.4 a wrong value type on a known attribute beside an unknown one → invalidValue", user(), [{ op: "add", path: "foo", value: "x" }, { op: "replace", path: "active", value: "maybe" }], "invalidValue"],
  ["§3.5.2.2 remove without a path → noTarget", user(), [{ op: "remove", value: { foo: "x" } }], "noTarget"],
  ["a declared custom schema: a wrong value type → invalidValue", acmeUser(), [disable, { op: "replace", path: `${ACME}:badge`, value: "seven" }], "invalidValue"],
  ["a declared custom schema: changing an immutable attribute → mutability", acmeUser(), [disable, { op: "replace", value: { [`${ACME}:hired`]: "2021" } }], "mutability"],
  ["a declared custom schema: a sub-attribute of a string attribute → invalidPath", acmeUser(), [disable, { op: "replace", path: `${ACME}:skills[value eq "go"].level`, value: 1 }], "invalidPath"],
];

describe("applyPatch: what is wrong for every schema still fails the whole request", () => {
  test.each(stillWrong)("%s", (_name, input, ops, scimType) => expectError(run(input, ops), 400, scimType));
});
