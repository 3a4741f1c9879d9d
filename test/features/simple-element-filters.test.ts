// A value filter on a multi-valued attribute without sub-attributes names its element `value` (RFC 7643 §2.4:
// "the sub-attribute 'value'" of a multi-valued attribute). PATCH's value filters have always taken it; GET,
// POST .search answered 400 "Unknown attribute 'skills.value'" for the same filter.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { ACME_USER_URN as URN, acmeUserSchema } from "../support/acme-schema";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
let h: Harness;
let t: TestTenant;

const schema = acmeUserSchema([
  { name: "skills", type: "string", multiValued: true },
  { name: "codes", type: "string", multiValued: true, caseExact: true },
]);

const scim = (method: string, path: string, body?: unknown) => h.request(method, `${t.url}${path}`, { token: t.token, body });
type List = { Resources: { id: string; userName: string }[]; scimType?: string; detail?: string };

async function found(filter: string): Promise<{ status: number; names: string[]; body: List }> {
  const res = await scim("GET", `/Users?filter=${encodeURIComponent(filter)}&sortBy=userName`);
  const body = (await res.json()) as List;
  return { status: res.status, names: res.status === 200 ? body.Resources.map((u) => u.userName) : [], body };
}

beforeAll(async () => {
  h = await createHarness();
  t = await h.newTenant();
  expect((await h.admin("PUT", `/tenants/${t.id}/schemas`, schema)).status).toBe(200);
  for (const [userName, skills, codes] of [["ann", ["Go", "rust"], ["AB"]], ["ben", ["go"], ["ab"]], ["cat", ["zig"], []]] as const) {
    const res = await scim("POST", "/Users", { schemas: [CORE, URN], userName, [URN]: { skills, codes } });
    expect(res.status).toBe(201);
  }
  expect((await scim("POST", "/Users", { userName: "dan" })).status).toBe(201);
});

describe("value filters on the elements of simple multi-valued attributes", () => {
  test.each([
    // caseExact false (the default): compared case-insensitively, as `skills eq "go"` is.
    [`${URN}:skills[value eq "GO"]`, ["ann", "ben"]],
    [`${URN}:skills[value sw "ru" or value eq "zig"]`, ["ann", "cat"]],
    [`${URN}:skills[not (value eq "go")]`, ["ann", "cat"]],
    [`${URN}:skills[value pr]`, ["ann", "ben", "cat"]],
    // caseExact true: exactly.
    [`${URN}:codes[value eq "ab"]`, ["ben"]],
    [`${URN}:codes[VALUE eq "AB"]`, ["ann"]],
    // A quote in the value stays a value (a bound parameter).
    [`${URN}:skills[value eq "go' OR 1=1 --"]`, []],
    // The core multi-valued `schemas` (reference, caseExact false).
    [`schemas[value eq "${URN.toUpperCase()}"]`, ["ann", "ben", "cat"]],
  ])("GET %s", async (filter, expected) => {
    const got = await found(filter);
    expect(got.status).toBe(200);
    expect(got.names).toEqual(expected);
  });

  test("POST /Users/.search takes the same filter", async () => {
    const res = await scim("POST", "/Users/.search", { filter: `${URN}:skills[value eq "go"]`, sortBy: "userName" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as List).Resources.map((u) => u.userName)).toEqual(["ann", "ben"]);
  });

  test("a sub-attribute other than value is still unknown", async () => {
    const got = await found(`${URN}:skills[name eq "go"]`);
    expect(got.status).toBe(400);
    expect(got.body.scimType).toBe("invalidFilter");
  });

  test("PATCH remove through the filter removes what GET finds with it", async () => {
    const filter = `${URN}:skills[value eq "GO"]`;
    const matched = (await found(filter)).body.Resources;
    for (const user of matched) {
      const res = await scim("PATCH", `/Users/${user.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "remove", path: filter }],
      });
      expect(res.status).toBe(200);
    }
    expect((await found(filter)).names).toEqual([]);
    expect((await found(`${URN}:skills pr`)).names).toEqual(["ann", "cat"]);
  });
});
