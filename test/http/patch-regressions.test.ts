// Named regressions for bugs the PATCH differential test (patch-differential.test.ts) found in PATCH /Users/{id} and
// PATCH /Groups/{id}, one row each, with the RFC text that decides them. A refused PATCH must leave the database as it was.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, ENT, expectScimError, patchOp, setUp, snapshot } from "./client";

let c: Client;
let id: string;
let groupId: string;

beforeAll(async () => {
  c = await setUp("patch-regressions");
  const u = await c.user({
    userName: "alice@contoso.com",
    active: true,
    title: "Engineer",
    emails: [{ value: "alice@contoso.com", type: "work", primary: true }],
    [ENT]: { department: "Sales" },
  });
  id = String(u.id);
  groupId = String((await c.group({ displayName: "Engineering", externalId: "g-1" })).id);
});

// [name, operations, scimType]
const refused: [string, Doc[], string][] = [
  // RFC 7644 §3.5.2: "Each operation against an attribute MUST be compatible with the attribute's mutability and
  // schema as defined in Sections 2.2 and 2.3 of [RFC7643]" and "If a single operation encounters an error
  // condition, the original SCIM resource MUST be restored": a later operation does not make a wrong one right.
  ["a number for a string, then a string", [{ op: "replace", path: "title", value: 42 }, { op: "replace", path: "title", value: "Lead" }], "invalidValue"],
  ["a number for a boolean, then a boolean", [{ op: "Replace", path: "active", value: 0 }, { op: "Replace", path: "active", value: "False" }], "invalidValue"],
  ["an array for a single value, then a value", [{ op: "Replace", path: "active", value: ["False"] }, { op: "Add", path: "active", value: "False" }], "invalidValue"],
  [
    "a number for an extension string, then a string",
    [{ op: "replace", path: `${ENT}:department`, value: 42 }, { op: "replace", path: `${ENT}:department`, value: "R&D" }],
    "invalidValue",
  ],
  [
    "a number for a sub-attribute through a filter, then a string",
    [{ op: "replace", path: 'emails[type eq "work"].display', value: 7 }, { op: "remove", path: 'emails[type eq "work"].display' }],
    "invalidValue",
  ],
  [
    "two primary values (RFC 7643 §2.4), then one of them not primary",
    [
      { op: "replace", path: "emails", value: [{ value: "a@contoso.com", primary: true }, { value: "b@contoso.com", primary: "True" }] },
      { op: "remove", path: 'emails[value eq "b@contoso.com"].primary' },
    ],
    "invalidValue",
  ],
  [
    // Found by the differential test: an add through a filter matching two values made both primary, and only the
    // end state was checked, so a later operation hid it.
    "an add through a filter making two values primary, then one of them removed",
    [
      { op: "add", path: "emails", value: [{ value: "b@contoso.com", type: "work" }] },
      { op: "add", path: 'emails[type eq "work"]', value: { primary: "True" } },
      { op: "remove", path: 'emails[value eq "b@contoso.com"]' },
    ],
    "invalidValue",
  ],
  [
    "a wrong type among the keys of a path-less replace, overwritten by the next one",
    [{ op: "replace", value: { "name.givenName": 5 } }, { op: "replace", value: { "name.givenName": "Al" } }],
    "invalidValue",
  ],
];

describe("PATCH /Users/{id} regressions: refused, and nothing stored", () => {
  test.each(refused)("%s → 400", async (_name, ops, scimType) => {
    const before = snapshot(c.h);
    expectScimError(await c.patch(`/Users/${id}`, patchOp(...ops)), 400, scimType);
    expect(snapshot(c.h)).toBe(before);
  });
});

describe("PATCH /Groups/{id} regressions: refused, and nothing stored", () => {
  test.each([
    ["a number for displayName, then a name", [{ op: "Replace", path: "displayName", value: 42 }, { op: "Replace", path: "displayName", value: "Platform" }]],
    ["an array for externalId, then a string", [{ op: "replace", value: { externalId: ["g-2"] } }, { op: "replace", value: { externalId: "g-2" } }]],
  ] as [string, Doc[]][])("%s → 400 invalidValue", async (_name, ops) => {
    const before = snapshot(c.h);
    expectScimError(await c.patch(`/Groups/${groupId}`, patchOp(...ops)), 400, "invalidValue");
    expect(snapshot(c.h)).toBe(before);
  });
});

// Found by the differential test: GET refuses an ordering or substring comparison of a boolean with 400
// invalidFilter (RFC 7644 §3.4.2.2: "Boolean and Binary attributes SHALL cause a failed response"); a PATCH value
// filter matched nothing instead, so a remove answered 200 having removed nothing.
describe("PATCH value filters refuse what GET filters refuse", () => {
  test.each([["primary gt true"], ["primary le false"], ['primary co "t"']])("emails[%s] → 400 invalidFilter", async (filter) => {
    const before = snapshot(c.h);
    expectScimError(await c.patch(`/Users/${id}`, patchOp({ op: "remove", path: `emails[${filter}].value` })), 400, "invalidFilter");
    expect(snapshot(c.h)).toBe(before);
  });
});
