// Named regressions for bugs the Groups filter differential test (filter-differential-groups.test.ts) found in
// GET /Groups?filter and POST /Groups/.search, one row each, with the RFC text that decides them.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, q, resources, setUp } from "./client";

let c: Client;
let ann: Doc;
let bob: Doc;
let inner: Doc;

beforeAll(async () => {
  c = await setUp("group-filter-regressions");
  ann = await c.user({ userName: "ann@example.com", displayName: "\u212Aelvin Ann" });
  bob = await c.user({ userName: "bob@example.com" });
  inner = await c.group({ displayName: "Inner", members: [{ value: bob.id }] });
  await c.group({ displayName: "Labelled", members: [{ value: ann.id, display: "Team Lead" }] });
  await c.group({ displayName: "Outer", members: [{ value: ann.id }, { value: inner.id, type: "Group" }] });
});

const groupNames = async (filter: string, search = false) => {
  const r = search
    ? await c.post("/Groups/.search", { filter, sortBy: "displayName" })
    : await c.get(`/Groups?filter=${q(filter)}&sortBy=displayName`);
  expect(r.status).toBe(200);
  return resources(r.body).map((g) => g.displayName);
};

// [name, filter, displayNames]
const found: [string, string, string[]][] = [
  // RFC 7644 §3.4.2.2 lets any attribute be filtered; members.display is the label a client gave, else the
  // member's current name, as GET shows it and as PATCH's members[display …] removes already read it (README).
  ["members.display of a user without a label is its displayName", 'members.display eq "kelvin ann"', ["Outer"]],
  ["members.display falls back to the userName", 'members.display sw "BOB@"', ["Inner"]],
  ["members.display of a group member is its displayName", 'members[type eq "Group" and display eq "inner"]', ["Outer"]],
  ["a label is what members.display holds", 'members.display co "lead"', ["Labelled"]],
  ["members.display pr", "members.display pr", ["Inner", "Labelled", "Outer"]],
];

describe("Group filter regressions (GET /Groups?filter and POST /Groups/.search)", () => {
  test.each(found)("%s: %s → %p", async (_name, filter, expected) => {
    expect(await groupNames(filter)).toEqual(expected);
    expect(await groupNames(filter, true)).toEqual(expected);
  });
});
