import { describe, expect, test } from "bun:test";
import type { ScimType } from "../../../src/errors.ts";
import { applyPatch } from "../../../src/scim/patch/index.ts";
import { attr, complex } from "../../../src/scim/schema/define.ts";
import { createRegistry } from "../../../src/scim/schema/registry.ts";
import { type ScimResource, USER_SCHEMA } from "../../../src/scim/schema/types.ts";
import { body, deepFreeze, ENT, expectError, patch, patched, user } from "./helpers.ts";

interface Case {
  name: string;
  resource?: ScimResource;
  ops: unknown[];
  /** Top-level keys of the result; `undefined` means the attribute must be absent. */
  want?: Record<string, unknown>;
  error?: [number, ScimType];
  changed?: boolean;
}

const workEmail = { value: "alice@example.com", type: "work", primary: true };
const ext = { employeeNumber: "42", department: "Sales", manager: { value: "m1" } };

const cases: Case[] = [
  // §3.5.2.1 Add
  {
    name: '§3.5.2.1 no path: "the value parameter contains a set of attributes to be added"',
    ops: [{ op: "add", value: { nickName: "Al", emails: [{ value: "al@home.example", type: "home" }] } }],
    want: { nickName: "Al", emails: [workEmail, { value: "al@home.example", type: "home" }] },
  },
  {
    name: "§3.5.2.1 multi-valued: the values are added to the existing set",
    ops: [{ op: "add", path: "emails", value: [{ value: "al@home.example", type: "home" }] }],
    want: { emails: [workEmail, { value: "al@home.example", type: "home" }] },
  },
  {
    name: "§3.5.2.1 multi-valued: a value already present is not added twice",
    ops: [{ op: "add", path: "emails", value: [workEmail] }],
    want: { emails: [workEmail] },
    changed: false,
  },
  {
    name: '§3.5.2.1 "already contains the value": the same address in another case (emails.value is not caseExact)',
    ops: [{ op: "add", path: "emails", value: [{ value: "ALICE@Example.com", type: "Work" }] }],
    want: { emails: [workEmail] },
    changed: false,
  },
  {
    name: '§3.5.2.1 "already contains the value": folded as filters fold it, in every script (ΟΔΟΣ is οδοσ, not οδος)',
    resource: { ...user(), emails: [{ value: "οδοσ@example.gr", type: "work" }] },
    ops: [{ op: "add", path: "emails", value: [{ value: "ΟΔΟΣ@example.gr", type: "work" }] }],
    want: { emails: [{ value: "οδοσ@example.gr", type: "work" }] },
    changed: false,
  },
  {
    name: '§3.5.2.1 "already contains the value": added again without its primary flag, it stays primary',
    ops: [{ op: "add", path: "emails", value: [{ value: "alice@example.com", type: "work" }] }],
    want: { emails: [workEmail] },
    changed: false,
  },
  {
    name: "§3.5.2.1 a present value added again with primary: true becomes the primary one, not a second element",
    ops: [
      { op: "add", path: "emails", value: [{ value: "al@home.example", type: "home" }] },
      { op: "add", path: "emails", value: [{ value: "AL@home.example", type: "home", primary: true }] },
    ],
    want: { emails: [{ ...workEmail, primary: false }, { value: "al@home.example", type: "home", primary: true }] },
  },
  {
    name: "§3.5.2.1 adding a new primary value clears the old one (RFC 7643 §2.4)",
    ops: [{ op: "add", path: "emails", value: [{ value: "al@home.example", type: "home", primary: true }] }],
    want: { emails: [{ ...workEmail, primary: false }, { value: "al@home.example", type: "home", primary: true }] },
  },
  {
    name: "§3.5.2.1 attribute that does not exist: it is added",
    ops: [{ op: "add", path: "title", value: "Engineer" }],
    want: { title: "Engineer" },
  },
  {
    name: "§3.5.2.1 single-valued attribute that exists: its value is replaced",
    ops: [{ op: "add", path: "displayName", value: "Al Smith" }],
    want: { displayName: "Al Smith" },
  },
  {
    name: "§3.5.2.1 complex attribute: the given sub-attributes are merged in",
    ops: [{ op: "add", path: "name", value: { middleName: "Q" } }],
    want: { name: { givenName: "Alice", familyName: "Smith", middleName: "Q" } },
  },
  {
    name: "§3.5.2.1 sub-attribute path name.middleName",
    ops: [{ op: "add", path: "name.middleName", value: "Q" }],
    want: { name: { givenName: "Alice", familyName: "Smith", middleName: "Q" } },
  },
  {
    name: "§3.5.2 URN-qualified attribute path into the extension",
    ops: [{ op: "add", path: `${ENT}:costCenter`, value: "CC-1" }],
    want: { [ENT]: { ...ext, costCenter: "CC-1" } },
  },
  {
    name: "§3.5.2 the bare extension URN as path: its attributes are merged",
    ops: [{ op: "add", path: ENT, value: { division: "West", department: "Ops" } }],
    want: { [ENT]: { ...ext, division: "West", department: "Ops" } },
  },
  {
    name: "§3.5.2 attribute names are case-insensitive (RFC 7643 §2.1)",
    ops: [{ op: "add", path: "NAME.MIDDLENAME", value: "Q" }, { op: "add", path: "DisplayName", value: "A" }],
    want: { name: { givenName: "Alice", familyName: "Smith", middleName: "Q" }, displayName: "A" },
  },
  {
    name: "§3.5.2.1 value filter with add: the value is merged into the matched values",
    ops: [{ op: "add", path: 'emails[type eq "work"]', value: { display: "Work mail" } }],
    want: { emails: [{ ...workEmail, display: "Work mail" }] },
  },
  {
    name: "§3.5.2.1 the first extension attribute also adds the extension URN to schemas",
    resource: deepFreeze({ schemas: [USER_SCHEMA], id: "u2", userName: "bob" }),
    ops: [{ op: "add", path: `${ENT}:department`, value: "Ops" }],
    want: { schemas: [USER_SCHEMA, ENT], [ENT]: { department: "Ops" }, id: "u2" },
  },
  {
    name: "§3.5.2.1 no path, with the extension under its URN key",
    ops: [{ op: "add", value: { [ENT]: { costCenter: "CC-1" } } }],
    want: { [ENT]: { ...ext, costCenter: "CC-1" } },
  },
  {
    name: "§3.5.2.1 no path, carrying id and meta back: readOnly values are ignored, as on POST",
    ops: [{ op: "replace", value: { id: "other", meta: { created: "x" }, displayName: "Al" } }],
    want: { id: "u1", displayName: "Al", meta: user().meta },
  },
  // §3.5.2.2 Remove
  {
    name: '§3.5.2.2 "If "path" is unspecified, the operation fails with ... noTarget"',
    ops: [{ op: "remove" }],
    error: [400, "noTarget"],
  },
  {
    name: "§3.5.2.2 single-valued attribute: it is removed",
    ops: [{ op: "remove", path: "displayName" }],
    want: { displayName: undefined, userName: "alice@example.com" },
  },
  {
    name: "§3.5.2.2 removing an unassigned attribute changes nothing",
    ops: [{ op: "remove", path: "nickName" }],
    want: { nickName: undefined },
    changed: false,
  },
  {
    name: "§3.5.2.2 sub-attribute of a complex attribute",
    ops: [{ op: "remove", path: "name.givenName" }],
    want: { name: { familyName: "Smith" } },
  },
  {
    name: "§3.5.2.2 removing the last sub-attribute leaves the complex attribute unassigned",
    ops: [{ op: "remove", path: "name.givenName" }, { op: "remove", path: "name.familyName" }],
    want: { name: undefined },
  },
  {
    name: "§3.5.2.2 multi-valued attribute without filter: all values are removed",
    ops: [{ op: "remove", path: "phoneNumbers" }],
    want: { phoneNumbers: undefined },
  },
  {
    name: "§3.5.2.2 value filter: the matched values are removed; none left → unassigned",
    ops: [{ op: "remove", path: 'emails[type eq "work"]' }],
    want: { emails: undefined },
  },
  {
    name: "§3.5.2.2 value filter that matches nothing removes nothing",
    ops: [{ op: "remove", path: 'emails[type eq "home"]' }],
    want: { emails: [workEmail] },
    changed: false,
  },
  {
    name: "§3.5.2.2 a filter on a name emails lack (toString, which every object inherits) → invalidFilter, as a GET filter",
    ops: [{ op: "remove", path: "emails[toString pr]" }],
    error: [400, "invalidFilter"],
  },
  {
    name: "§3.5.2.2 sub-attribute of the filtered values",
    ops: [{ op: "remove", path: 'addresses[type eq "work"].locality' }],
    want: { addresses: [{ type: "work", streetAddress: "1 Main St" }] },
  },
  {
    name: "§3.5.2.2 URN-qualified extension attribute",
    ops: [{ op: "remove", path: `${ENT}:manager` }],
    want: { [ENT]: { employeeNumber: "42", department: "Sales" } },
  },
  {
    name: "§3.5.2.2 the bare extension URN: the extension goes, and so does its schemas entry",
    ops: [{ op: "remove", path: ENT }],
    want: { [ENT]: undefined, schemas: [USER_SCHEMA] },
  },
  {
    name: "§3.5.2.2 a required attribute cannot be removed (RFC 7643 §2.2 required)",
    ops: [{ op: "remove", path: "userName" }],
    error: [400, "invalidValue"],
  },
  {
    name: "§3.5.2.2 sub-attribute of a multi-valued attribute without filter: removed from every value",
    ops: [{ op: "remove", path: "emails.primary" }],
    want: { emails: [{ value: "alice@example.com", type: "work" }] },
  },
  {
    name: "§3.5.2.2 multi-valued attribute with a value: only the listed values go",
    ops: [
      { op: "add", path: "emails", value: [{ value: "a2@example.com" }] },
      { op: "remove", path: "emails", value: [{ value: "ALICE@example.com" }] },
    ],
    want: { emails: [{ value: "a2@example.com" }] },
  },
  {
    name: "§3.5.2.2 multi-valued attribute with an empty list of values: nothing goes",
    ops: [{ op: "remove", path: "emails", value: [] }],
    want: { emails: [workEmail] },
    changed: false,
  },
  {
    name: "§3.5.2.2 clearing a value path that matches nothing is a no-op, not noTarget",
    ops: [{ op: "replace", path: 'phoneNumbers[type eq "mobile"].value', value: "" }],
    want: { phoneNumbers: [{ value: "+1 555 0100", type: "work" }] },
    changed: false,
  },
  // §3.5.2.3 Replace
  {
    name: "§3.5.2.3 multi-valued attribute without filter: the whole set is replaced",
    ops: [{ op: "replace", path: "emails", value: [{ value: "new@example.com", type: "home" }] }],
    want: { emails: [{ value: "new@example.com", type: "home" }] },
  },
  {
    name: "§3.5.2.3 value filter and sub-attribute: only that sub-attribute of the matches changes",
    ops: [{ op: "replace", path: 'emails[type eq "work"].value', value: "new@example.com" }],
    want: { emails: [{ ...workEmail, value: "new@example.com" }] },
  },
  {
    name: '§3.5.2.3 addresses[type eq "work"].streetAddress',
    ops: [{ op: "replace", path: 'addresses[type eq "work"].streetAddress', value: "2 Elm St" }],
    want: { addresses: [{ type: "work", streetAddress: "2 Elm St", locality: "Springfield" }] },
  },
  {
    name: "§3.5.2.3 value filter without sub-attribute: the matched values are replaced",
    ops: [{ op: "replace", path: 'emails[type eq "work"]', value: { value: "new@example.com" } }],
    want: { emails: [{ type: "work", value: "new@example.com" }] },
  },
  {
    name: "§3.5.2.3 complex attribute: unspecified sub-attributes are left unchanged",
    ops: [{ op: "replace", path: "name", value: { givenName: "Al" } }],
    want: { name: { givenName: "Al", familyName: "Smith" } },
  },
  {
    name: "§3.5.2.3 no path: each attribute of the value is replaced",
    ops: [{ op: "replace", value: { displayName: "Al", emails: [{ value: "x@example.com" }], "name.givenName": "Al" } }],
    want: { displayName: "Al", emails: [{ value: "x@example.com" }], name: { givenName: "Al", familyName: "Smith" } },
  },
  {
    name: "§3.5.2.3 value filter that matches nothing and describes no element → noTarget",
    ops: [{ op: "replace", path: 'emails[value co "nobody"].type', value: "home" }],
    error: [400, "noTarget"],
  },
  {
    name: "§3.5.2.3 setting primary on one value clears it on the others (RFC 7643 §2.4)",
    ops: [
      { op: "add", path: "emails", value: { value: "al@home.example", type: "home" } },
      { op: "replace", path: 'emails[type eq "home"].primary', value: true },
    ],
    want: { emails: [{ ...workEmail, primary: false }, { value: "al@home.example", type: "home", primary: true }] },
  },
  {
    name: "§3.5.2.1 a key that names no sub-attribute is ignored, as on POST: an own __proto__ sets no inherited primary",
    ops: [{ op: "add", path: "emails", value: [JSON.parse('{"value":"al@home.example","__proto__":{"primary":true}}')] }],
    want: { emails: [workEmail, { value: "al@home.example" }] },
  },
  {
    name: "RFC 7643 §2.4 a primary value without a value is dropped, and demotes nobody: filter that creates it",
    ops: [{ op: "replace", path: 'emails[type eq "home"].primary', value: true }],
    want: { emails: [workEmail] },
    changed: false,
  },
  {
    name: "RFC 7643 §2.4 a primary value without a value is dropped, and demotes nobody: add",
    ops: [{ op: "add", path: "emails", value: [{ type: "home", primary: true }] }],
    want: { emails: [workEmail] },
    changed: false,
  },
  {
    name: "§3.5.2.2 a value filter on a string compares text: a date-looking value is no instant (RFC 7643 §2.3.5)",
    resource: { ...user(), entitlements: [{ value: "2020-01-01" }, { value: "keep" }] },
    ops: [{ op: "remove", path: 'entitlements[value eq "2020-01-01T00:00:00+00:00"]' }],
    want: { entitlements: [{ value: "2020-01-01" }, { value: "keep" }] },
    changed: false,
  },
  // §3.5.2 errors
  // Names the tenant does not define are skipped, as POST drops them (unknown-attributes.test.ts).
  { name: "§3.5.2 unknown attribute: skipped, as on POST", ops: [{ op: "add", path: "shoeSize", value: "9" }], want: { shoeSize: undefined }, changed: false },
  { name: "§3.5.2 unknown sub-attribute: skipped, as on POST", ops: [{ op: "replace", path: "name.nick", value: "x" }], want: { name: { givenName: "Alice", familyName: "Smith" } }, changed: false },
  {
    name: "§3.5.2 unknown key in a path-less value: skipped, as on POST",
    ops: [{ op: "replace", value: { shoeSize: "9" } }],
    want: { shoeSize: undefined },
    changed: false,
  },
  { name: "§3.5.2 a sub-attribute of an attribute that has none → invalidPath", ops: [{ op: "replace", path: "title.sub", value: "x" }], error: [400, "invalidPath"] },
  {
    name: "§3.5.2 value filter on a single-valued attribute → invalidPath",
    ops: [{ op: "replace", path: 'userName[value eq "x"]', value: "y" }],
    error: [400, "invalidPath"],
  },
  {
    name: "§3.5.2 malformed value filter → invalidFilter",
    ops: [{ op: "remove", path: "emails[type eq]" }],
    error: [400, "invalidFilter"],
  },
  { name: "§3.5.2 readOnly id → mutability", ops: [{ op: "replace", path: "id", value: "u2" }], error: [400, "mutability"] },
  { name: "§3.5.2 readOnly meta.created → mutability", ops: [{ op: "remove", path: "meta.created" }], error: [400, "mutability"] },
  { name: "§3.5.2 readOnly groups → mutability", ops: [{ op: "add", path: "groups", value: [{ value: "g1" }] }], error: [400, "mutability"] },
  {
    name: "§3.5.2 a value of the wrong type → invalidValue (RFC 7643 §2.3.4)",
    ops: [{ op: "replace", path: "active", value: "maybe" }],
    error: [400, "invalidValue"],
  },
  {
    name: "§3.5.2 two primary values in one replace → invalidValue (RFC 7643 §2.4)",
    ops: [{ op: "replace", path: "emails", value: [{ value: "a@x.example", primary: true }, { value: "b@x.example", primary: true }] }],
    error: [400, "invalidValue"],
  },
];

describe("applyPatch: RFC 7644 §3.5.2 on a User", () => {
  test.each(cases)("$name", ({ resource, ops, want, error, changed }) => {
    const input = resource ?? user();
    const r = patch(input, ops);
    if (error) return expectError(r, ...error);
    if (!r.ok) throw new Error(r.error.detail);
    for (const [key, value] of Object.entries(want ?? {})) expect([key, r.value.resource[key]]).toEqual([key, value]);
    expect(r.value.changed).toBe(changed ?? true);
    expect(r.value.members).toEqual([]);
  });

  test("RFC 7643 §3 the order of schemas is no change", () => {
    const input = deepFreeze({ ...user(), schemas: [ENT, USER_SCHEMA] });
    expect(patched(input, [{ op: "replace", path: "active", value: true }]).changed).toBe(false);
  });

  test("§3.5.2 id and meta of the input are kept; other attributes are untouched", () => {
    const input = user();
    const { resource } = patched(input, [{ op: "replace", path: "displayName", value: "Al" }]);
    expect(resource).toEqual({ ...input, displayName: "Al" });
  });

  test("values no operation touches stay the input's own; a touched one is a copy, the (frozen) input unchanged", () => {
    const input = user();
    const { resource } = patched(input, [
      { op: "replace", path: "name.givenName", value: "Al" },
      { op: "add", path: 'emails[type eq "home"].value', value: "al@home.example" },
    ]);
    expect(resource.phoneNumbers).toBe(input.phoneNumbers);
    expect(resource.addresses).toBe(input.addresses);
    expect(resource.name).toEqual({ givenName: "Al", familyName: "Smith" });
    expect(input.name).toEqual({ givenName: "Alice", familyName: "Smith" });
    expect((resource.emails as unknown[]).length).toBe(2);
    expect((input.emails as unknown[]).length).toBe(1);
  });
});

describe('§3.5.2.1 "already contains the value" honours caseExact (RFC 7643 §2.3.1)', () => {
  const EXT = "urn:example:params:scim:schemas:extension:keys:2.0:User";
  const keys = complex("keys", "SSH keys.", [attr("value", "The key.", { caseExact: true }), attr("type", "Its kind.")], { multiValued: true });
  const registry = createRegistry([{ resourceType: "User", schema: { id: EXT, name: "Keys", description: "", attributes: [keys] } }]);
  const withKey = deepFreeze({ ...user(), schemas: [USER_SCHEMA, ENT, EXT], [EXT]: { keys: [{ value: "AbC", type: "rsa" }] } });
  const add = (value: unknown) => applyPatch(registry, "User", withKey, body({ op: "add", path: `${EXT}:keys`, value }));

  test("a caseExact value in another case is another value; a value that is not caseExact is the same one", () => {
    const other = add([{ value: "abc", type: "rsa" }]);
    expect(other.ok && other.value.resource[EXT]).toEqual({ keys: [{ value: "AbC", type: "rsa" }, { value: "abc", type: "rsa" }] });
    const same = add([{ value: "AbC", type: "RSA" }]);
    expect(same.ok && same.value.changed).toBe(false);
  });
});
