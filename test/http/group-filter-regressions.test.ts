// Named regressions for bugs the Groups filter differential test (filter-differential-groups.test.ts) found in
// GET /Groups?filter and POST /Groups/.search, one row each, with the RFC text that decides them.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, GROUP, q, resources, setUp, USER } from "./client";

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

/** A sub-attribute's caseExact as /Schemas advertises it. */
async function advertisedCaseExact(schema: string, attribute: string, sub: string): Promise<unknown> {
  const listed = resources((await c.get("/Schemas")).body);
  const attrs = listed.find((s) => s.id === schema)?.attributes as Doc[];
  const subs = attrs.find((a) => a.name === attribute)?.subAttributes as Doc[];
  return subs.find((s) => s.name === sub)?.caseExact;
}

// RFC 7643 §8.7.1 lists a Group's members.value and a User's groups.value with caseExact false, and /Schemas says
// so: filters compare the ids they hold case-insensitively, as they do every attribute not caseExact.
describe("member and group ids compare as /Schemas advertises them", () => {
  test("members.value and groups.value are advertised caseExact false", async () => {
    expect(await advertisedCaseExact(GROUP, "members", "value")).toBe(false);
    expect(await advertisedCaseExact(USER, "groups", "value")).toBe(false);
  });

  test("members.value eq, and members[value …], with the id in upper case", async () => {
    const id = String(ann.id).toUpperCase();
    for (const search of [false, true]) {
      expect(await groupNames(`members.value eq "${id}"`, search)).toEqual(["Labelled", "Outer"]);
      expect(await groupNames(`members[value eq "${id}" and display eq "team lead"]`, search)).toEqual(["Labelled"]);
      expect(await groupNames(`members sw "${String(inner.id).slice(0, 30).toUpperCase()}"`, search)).toEqual(["Outer"]);
    }
  });

  test("groups.value eq, and groups[value …], with the id in upper case (direct and through a nested group)", async () => {
    const id = String(inner.id).toUpperCase();
    const users = await c.get(`/Users?filter=${q(`groups[value eq "${id}"]`)}`);
    expect(resources(users.body).map((u) => u.userName)).toEqual(["bob@example.com"]);
    const outer = resources((await c.get(`/Groups?filter=${q('displayName eq "Outer"')}`)).body)[0];
    const viaNested = await c.post("/Users/.search", { filter: `groups.value eq "${String(outer.id).toUpperCase()}"`, sortBy: "userName" });
    expect(resources(viaNested.body).map((u) => u.userName)).toEqual(["ann@example.com", "bob@example.com"]);
  });
});

describe("Group filter regressions (GET /Groups?filter and POST /Groups/.search)", () => {
  test.each(found)("%s: %s → %p", async (_name, filter, expected) => {
    expect(await groupNames(filter)).toEqual(expected);
    expect(await groupNames(filter, true)).toEqual(expected);
  });

  // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else the first; members have no
  // primary, so the least display each group shows, case-folded: "bob@…", "Inner" (before "Kelvin Ann"), "Team Lead".
  test("sortBy=members.display orders by the display GET shows", async () => {
    const r = await c.get(`/Groups?sortBy=members.display`);
    expect(resources(r.body).map((g) => g.displayName)).toEqual(["Inner", "Outer", "Labelled"]);
  });
});
