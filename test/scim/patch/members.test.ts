import { describe, expect, test } from "bun:test";
import type { ScimType } from "../../../src/errors.ts";
import type { MemberOp } from "../../../src/scim/patch/index.ts";
import { parseFilter } from "../../../src/scim/filter/parser.ts";
import { expectError, group, patch, patched, user } from "./helpers.ts";

// Members live in their own table: operations on them come back as MemberOps, in request order.
const cases: [string, unknown[], MemberOp[]][] = [
  [
    "§3.5.2.1 add members: each listed member, with its type when given",
    [{ op: "add", path: "members", value: [{ value: "a" }, { value: "b", type: "user" }, { value: "c", type: "Group" }] }],
    [{ kind: "add", members: [{ value: "a" }, { value: "b", type: "User" }, { value: "c", type: "Group" }] }],
  ],
  [
    "§3.5.2.1 add members: ids listed twice are passed once",
    [{ op: "add", path: "members", value: [{ value: "a" }, { value: "a" }] }],
    [{ kind: "add", members: [{ value: "a" }] }],
  ],
  [
    "Microsoft reference suite 'Group patch add member': a bare id string",
    [{ op: "add", path: "members", value: "string id 1" }],
    [{ kind: "add", members: [{ value: "string id 1" }] }],
  ],
  [
    "entra.md: $ref null and display null are no value",
    [{ op: "add", path: "members", value: [{ $ref: null, value: "a", display: null }] }],
    [{ kind: "add", members: [{ value: "a" }] }],
  ],
  ["§3.5.2.1 add members with an empty list: nothing to do", [{ op: "add", path: "members", value: [] }], []],
  ["§3.5.2.2 remove members without a value: all members go", [{ op: "remove", path: "members" }], [{ kind: "removeAll" }]],
  [
    '§3.5.2.2 remove members[value eq "a"]',
    [{ op: "remove", path: 'members[value eq "a"]' }],
    [{ kind: "remove", ids: ["a"] }],
  ],
  [
    '§3.5.2.2 remove members[value eq "a" or value eq "b"]',
    [{ op: "remove", path: 'members[value eq "a" or value eq "b" or value eq "a"]' }],
    [{ kind: "remove", ids: ["a", "b"] }],
  ],
  [
    "§3.5.2.2 remove members with a value: only the listed ids",
    [{ op: "remove", path: "members", value: [{ value: "a" }, { value: "b" }] }],
    [{ kind: "remove", ids: ["a", "b"] }],
  ],
  ["§3.5.2.2 remove members with an empty value list removes nobody", [{ op: "remove", path: "members", value: [] }], []],
  [
    "§3.5.2.3 replace members: the new list",
    [{ op: "replace", path: "members", value: [{ value: "a" }] }],
    [{ kind: "replace", members: [{ value: "a" }] }],
  ],
  ["§3.5.2.3 replace members with an empty list: all go", [{ op: "replace", path: "members", value: [] }], [{ kind: "removeAll" }]],
  [
    "§3.5.2 the operations keep request order",
    [
      { op: "add", path: "members", value: [{ value: "a" }] },
      { op: "remove", path: 'members[value eq "b"]' },
      { op: "add", path: "Members", value: [{ value: "c" }] },
    ],
    [{ kind: "add", members: [{ value: "a" }] }, { kind: "remove", ids: ["b"] }, { kind: "add", members: [{ value: "c" }] }],
  ],
  [
    "§3.5.2.3 path-less replace with members and displayName",
    [{ op: "replace", value: { displayName: "Eng", members: [{ value: "a" }] } }],
    [{ kind: "replace", members: [{ value: "a" }] }],
  ],
];

const errors: [string, unknown[], ScimType][] = [
  ["a member value that is a number → invalidValue", [{ op: "add", path: "members", value: [{ value: 42 }] }], "invalidValue"],
  ["an empty member value → invalidValue", [{ op: "add", path: "members", value: [{ value: "" }] }], "invalidValue"],
  ["a member without value → invalidValue", [{ op: "add", path: "members", value: [{ display: "Bob" }] }], "invalidValue"],
  ["a member type other than User or Group → invalidValue", [{ op: "add", path: "members", value: [{ value: "a", type: "Device" }] }], "invalidValue"],
  ["RFC 7643 §4.2 a member display that is no string → invalidValue", [{ op: "add", path: "members", value: [{ value: "a", display: 5 }] }], "invalidValue"],
  ["Microsoft's displayName label that is no string → invalidValue", [{ op: "add", path: "members", value: [{ value: "a", displayName: true }] }], "invalidValue"],
  ["RFC 7643 §8.7.1 a member $ref that is no string → invalidValue", [{ op: "add", path: "members", value: [{ value: "a", $ref: 5 }] }], "invalidValue"],
  ["a wrong-typed display in a path-less replace → invalidValue", [{ op: "replace", value: { members: [{ value: "a", display: [] }] } }], "invalidValue"],
  ["a member filter on an unknown sub-attribute → invalidFilter", [{ op: "remove", path: 'members[foo eq "x"]' }], "invalidFilter"],
  ["a member filter on $ref (GET filters refuse it too) → invalidFilter", [{ op: "remove", path: 'members[$ref eq "x"]' }], "invalidFilter"],
  ["a member filter on a URN-qualified name → invalidFilter", [{ op: "remove", path: 'members[urn:x:type eq "User"]' }], "invalidFilter"],
  ["a member filter with add → invalidPath", [{ op: "add", path: 'members[value eq "a"]', value: { value: "a" } }], "invalidPath"],
  ["a member sub-attribute path → invalidPath", [{ op: "replace", path: "members.value", value: "a" }], "invalidPath"],
  ["a member's sub-attribute is not patched on its own (members.display) → invalidPath", [{ op: "replace", path: "members.display", value: "a" }], "invalidPath"],
  ["RFC 7643 §4.2 displayName is required → invalidValue", [{ op: "remove", path: "displayName" }], "invalidValue"],
];

describe("applyPatch: group members (RFC 7644 §3.5.2)", () => {
  test.each(cases)("%s", (_name, ops, expected) => {
    const r = patched(group(), ops);
    expect(r.members).toEqual(expected);
    expect(r.resource.members).toBeUndefined();
    expect(r.changed).toBe(expected.length > 0 || r.resource.displayName !== "Engineering");
  });

  test.each(errors)("%s", (_name, ops, scimType) => expectError(patch(group(), ops), 400, scimType));

  test("the remove filter detail names the unknown sub-attribute", () => {
    const r = patch(group(), [{ op: "remove", path: 'members[type eq "User" or shoeSize gt 9]' }]);
    expect(r.ok ? "" : r.error.detail).toContain("Unknown attribute 'members.shoeSize'");
  });

  // §3.5.2.2 allows any value filter: one that is not `value eq` (joined by or) is passed on whole, to be matched
  // against the member rows (test/http/group-members-filter.test.ts).
  test.each(['type eq "User"', 'value ne "a"', 'value eq "a" and type eq "User"', 'display co "Eng"', 'not (type eq "User")', "value pr"])(
    "§3.5.2.2 remove members[%s] → removeMatching with that filter",
    (filter) => {
      const parsed = parseFilter(filter);
      if (!parsed.ok) throw parsed.error;
      expect(patched(group(), [{ op: "remove", path: `members[${filter}]` }]).members).toEqual([{ kind: "removeMatching", filter: parsed.value }]);
    },
  );

  test("a User has no members attribute: skipped like any name the User schema lacks, as POST drops it", () => {
    const r = patched(user(), [{ op: "add", path: "members", value: [{ value: "a" }] }], "User");
    expect(r).toEqual({ resource: user(), members: [], changed: false, named: new Set() });
  });

  test("group attributes patch like user ones", () => {
    const r = patched(group(), [{ op: "replace", path: "displayName", value: "Platform" }, { op: "remove", path: "externalId" }]);
    expect(r.resource).toEqual({ ...group(), displayName: "Platform", externalId: undefined });
    expect(r.members).toEqual([]);
  });
});
