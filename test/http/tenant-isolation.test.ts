// design.md "Data" and "HTTP surface": every query starts with the tenant; a tenant's token works only under
// its own Tenant URL. Tenant B, with B's URL and token, must find, change and link nothing of tenant A.
import { beforeAll, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness";
import { client, type Client, type Doc, ENT, expectScimError, GROUP, harness, patchOp, q, resources, snapshot, USER } from "./client";

let h: Harness;
let a: Client;
let b: Client;
let ua: Doc; // A's user whose userName exists only in A
let shared: Doc; // A's user whose userName B has too
let ga: Doc;
let ub: Doc;
let gb: Doc;

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/** Only tenant A's rows, so B's own writes do not hide a change to A. */
function snapshotOf(tenant: string): string {
  const db = h.services.db;
  return JSON.stringify({
    users: db.query("SELECT * FROM users WHERE tenant_id = ? ORDER BY pk").all(tenant),
    groups: db.query("SELECT * FROM groups WHERE tenant_id = ? ORDER BY pk").all(tenant),
    members: db.query("SELECT * FROM group_members WHERE tenant_id = ? ORDER BY group_id, member_id").all(tenant),
  });
}

beforeAll(async () => {
  h = await harness();
  a = client(h, await h.newTenant("A"));
  b = client(h, await h.newTenant("B"));
  ua = await a.user({ userName: "only-a@example.com", externalId: "ext-only-a", emails: [{ value: "only-a@example.com", type: "work" }], [ENT]: { employeeNumber: "A-1" } });
  shared = await a.user({ userName: "shared@example.com", externalId: "ext-shared" });
  ga = await a.group({ displayName: "A Only Group", externalId: "gext-a", members: [{ value: ua.id }, { value: shared.id }] });
  await a.group({ displayName: "Shared Group" });
  ub = await b.user({ userName: "SHARED@example.com", externalId: "ext-shared" });
  gb = await b.group({ displayName: "shared group" });
});

describe("the same names may exist in both tenants", () => {
  test("userName and group displayName are unique per tenant, not across tenants", async () => {
    expect(ub.id).not.toBe(shared.id);
    const inA = await a.get(`/Users?filter=${q('userName eq "shared@example.com"')}`);
    const inB = await b.get(`/Users?filter=${q('userName eq "shared@example.com"')}`);
    expect(resources(inA.body).map((r) => r.id)).toEqual([shared.id]);
    expect(resources(inB.body).map((r) => r.id)).toEqual([ub.id]);
    const gA = await a.get(`/Groups?filter=${q('displayName eq "shared group"')}`);
    const gB = await b.get(`/Groups?filter=${q('displayName eq "shared group"')}`);
    expect(resources(gA.body).map((r) => r.displayName)).toEqual(["Shared Group"]);
    expect(resources(gB.body).map((r) => r.id)).toEqual([gb.id]);
  });
});

describe("A's ids under B's URL and token → 404, nothing changed", () => {
  const attempts: [string, string, () => string, () => unknown][] = [
    ["GET a user", "GET", () => `/Users/${ua.id}`, () => undefined],
    ["PUT a user", "PUT", () => `/Users/${ua.id}`, () => ({ schemas: [USER], userName: "hijacked@example.com" })],
    ["PATCH a user", "PATCH", () => `/Users/${ua.id}`, () => patchOp({ op: "replace", path: "active", value: false })],
    ["DELETE a user", "DELETE", () => `/Users/${ua.id}`, () => undefined],
    ["GET a group", "GET", () => `/Groups/${ga.id}`, () => undefined],
    ["PUT a group", "PUT", () => `/Groups/${ga.id}`, () => ({ schemas: [GROUP], displayName: "hijacked", members: [{ value: ub.id }] })],
    ["PATCH a group (remove A's member)", "PATCH", () => `/Groups/${ga.id}`, () => patchOp({ op: "remove", path: `members[value eq "${ua.id}"]` })],
    ["PATCH a group (add B's user)", "PATCH", () => `/Groups/${ga.id}`, () => patchOp({ op: "add", path: "members", value: [{ value: ub.id }] })],
    ["DELETE a group", "DELETE", () => `/Groups/${ga.id}`, () => undefined],
  ];
  test.each(attempts)("%s", async (_name, method, path, body) => {
    const before = snapshot(h);
    expectScimError(await b.send(method, path(), body()), 404);
    expect(snapshot(h)).toBe(before);
  });

  test("A still sees its user and group unchanged", async () => {
    // ua is in ga: its ETag is its row's version, then a hash of its groups.
    expect((await a.get(`/Users/${ua.id}`)).body).toMatchObject({ userName: "only-a@example.com", meta: { version: expect.stringMatching(/^W\/"1-\w+"$/) } });
    const group = (await a.get(`/Groups/${ga.id}`)).body;
    expect(group).toMatchObject({ displayName: "A Only Group", meta: { version: 'W/"1"' } });
    expect(((group.members as Doc[]) ?? []).map((m) => m.value).sort()).toEqual([ua.id, shared.id].sort() as string[]);
  });
});

describe("filters under B's URL find nothing of A", () => {
  const users = [
    () => 'userName eq "only-a@example.com"',
    () => `id eq "${ua.id}"`,
    () => `id eq "${shared.id}"`,
    () => 'externalId eq "ext-only-a"',
    () => 'emails[type eq "work"].value eq "only-a@example.com"',
    () => `${ENT}:employeeNumber eq "A-1"`,
    () => `groups.value eq "${ga.id}"`,
    () => 'userName sw "only"',
  ];
  const groups = [
    () => 'displayName eq "A Only Group"',
    () => `id eq "${ga.id}"`,
    () => 'externalId eq "gext-a"',
    () => `members.value eq "${ua.id}"`,
    () => `members.value eq "${shared.id}"`,
    () => "members pr",
  ];
  test.each(users.map((f, i) => [i, f] as const))("GET /Users?filter #%d → empty ListResponse (also POST /Users/.search and /.search)", async (_i, filter) => {
    const get = await b.get(`/Users?filter=${q(filter())}`);
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ totalResults: 0 });
    expect(resources(get.body)).toEqual([]);
    // The control: the same filter under A's URL does find something.
    expect(Number((await a.get(`/Users?filter=${q(filter())}`)).body.totalResults)).toBeGreaterThan(0);
    for (const path of ["/Users/.search", "/.search"]) {
      const post = await b.post(path, { schemas: [SEARCH], filter: filter() });
      expect({ path, status: post.status, total: post.body.totalResults }).toEqual({ path, status: 200, total: 0 });
    }
  });
  test.each(groups.map((f, i) => [i, f] as const))("GET /Groups?filter #%d → empty ListResponse (also POST /Groups/.search)", async (_i, filter) => {
    const get = await b.get(`/Groups?filter=${q(filter())}`);
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ totalResults: 0 });
    expect(Number((await a.get(`/Groups?filter=${q(filter())}`)).body.totalResults)).toBeGreaterThan(0);
    const post = await b.post("/Groups/.search", { schemas: [SEARCH], filter: filter() });
    expect({ status: post.status, total: post.body.totalResults }).toEqual({ status: 200, total: 0 });
  });

  test("unfiltered lists under B hold only B's resources", async () => {
    const users = await b.get("/Users");
    expect(resources(users.body).map((r) => r.id)).toEqual([ub.id]);
    expect(users.body.totalResults).toBe(1);
    const groupList = await b.get("/Groups");
    expect(resources(groupList.body).every((g) => g.id !== ga.id)).toBe(true);
  });
});

describe("B cannot link A's resources into B's groups", () => {
  const refusedOrSkipped = async (status: number, groupId: unknown) => {
    expect([200, 201, 204, 400, 404]).toContain(status);
    const members = ((await b.get(`/Groups/${groupId}`)).body.members ?? []) as Doc[];
    expect(members.map((m) => m.value)).not.toContain(ua.id);
    expect(members.map((m) => m.value)).not.toContain(ga.id);
  };

  test("POST /Groups with A's user and A's group as members", async () => {
    const before = snapshotOf(a.tenant.id);
    const r = await b.post("/Groups", { schemas: [GROUP], displayName: "B links", members: [{ value: ua.id }, { value: ga.id, type: "Group" }, { value: ub.id }] });
    if (r.status === 201) await refusedOrSkipped(r.status, r.body.id);
    else expect(r.status).toBeLessThan(500);
    expect(snapshotOf(a.tenant.id)).toBe(before);
  });

  test("PATCH add, PUT, and path-less replace with A's ids", async () => {
    const before = snapshotOf(a.tenant.id);
    const bodies: [string, unknown][] = [
      ["PATCH", patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: ua.id }, { value: shared.id }] })],
      ["PATCH", patchOp({ op: "replace", value: { members: [{ value: ua.id }] } })],
      ["PATCH", patchOp({ op: "add", path: "members", value: [{ value: ga.id, type: "Group" }] })],
      ["PUT", { schemas: [GROUP], displayName: "shared group", members: [{ value: ua.id }, { value: ga.id }] }],
    ];
    for (const [method, body] of bodies) {
      const r = await b.send(method, `/Groups/${gb.id}`, body);
      await refusedOrSkipped(r.status, gb.id);
    }
    expect(snapshotOf(a.tenant.id)).toBe(before);
    expect((await a.get(`/Users/${ua.id}`)).body.groups).toEqual([expect.objectContaining({ value: ga.id })]);
  });

  test("manager pointing at A's user is stored as an opaque value, never resolved to A's data", async () => {
    const r = await b.post("/Users", { schemas: [USER, ENT], userName: "reports-to-a@example.com", [ENT]: { manager: ua.id } });
    expect(r.status).toBe(201);
    expect(r.text).not.toContain("only-a@example.com");
  });

  test("PATCH remove of A's user from B's group is a no-op; A's memberships stay", async () => {
    const before = snapshotOf(a.tenant.id);
    const r = await b.patch(`/Groups/${gb.id}`, patchOp({ op: "remove", path: `members[value eq "${ua.id}"]` }, { op: "Remove", path: "members", value: [{ value: shared.id }] }));
    expect(r.status).toBe(204);
    expect(snapshotOf(a.tenant.id)).toBe(before);
  });

  test("DELETE of B's user with the same userName leaves A's user alone", async () => {
    const temp = await b.user({ userName: "only-a@example.com" });
    const before = snapshotOf(a.tenant.id);
    expect((await b.del(`/Users/${temp.id}`)).status).toBe(204);
    expect(snapshotOf(a.tenant.id)).toBe(before);
  });
});

describe("POST /Bulk under B's URL cannot reach A's ids (RFC 7644 §3.7)", () => {
  test("each operation on A's resources answers 404; A unchanged", async () => {
    const before = snapshotOf(a.tenant.id);
    const r = await b.post("/Bulk", {
      schemas: [BULK],
      Operations: [
        { method: "PATCH", path: `/Users/${ua.id}`, data: patchOp({ op: "replace", path: "active", value: false }) },
        { method: "PUT", path: `/Groups/${ga.id}`, data: { schemas: [GROUP], displayName: "x" } },
        { method: "DELETE", path: `/Users/${shared.id}` },
        { method: "DELETE", path: `/Groups/${ga.id}` },
      ],
    });
    expect(r.status).toBe(200);
    const statuses = ((r.body.Operations ?? []) as Doc[]).map((o) => String(o.status));
    expect(statuses).toEqual(["404", "404", "404", "404"]);
    expect(snapshotOf(a.tenant.id)).toBe(before);
  });
});

describe("A's token under B's URL → 401 on every endpoint, nothing changed", () => {
  const endpoints: [string, string, () => unknown][] = [
    ["GET", "/Users", () => undefined],
    ["POST", "/Users", () => ({ schemas: [USER], userName: "intruder@example.com" })],
    ["GET", "/Users/{ub}", () => undefined],
    ["PUT", "/Users/{ub}", () => ({ schemas: [USER], userName: "intruder@example.com" })],
    ["PATCH", "/Users/{ub}", () => patchOp({ op: "replace", path: "active", value: false })],
    ["DELETE", "/Users/{ub}", () => undefined],
    ["GET", "/Groups", () => undefined],
    ["POST", "/Groups", () => ({ schemas: [GROUP], displayName: "intruders" })],
    ["GET", "/Groups/{gb}", () => undefined],
    ["PUT", "/Groups/{gb}", () => ({ schemas: [GROUP], displayName: "intruders" })],
    ["PATCH", "/Groups/{gb}", () => patchOp({ op: "add", path: "members", value: [{ value: ub.id }] })],
    ["DELETE", "/Groups/{gb}", () => undefined],
    ["POST", "/Users/.search", () => ({ schemas: [SEARCH] })],
    ["POST", "/Groups/.search", () => ({ schemas: [SEARCH] })],
    ["POST", "/.search", () => ({ schemas: [SEARCH] })],
    ["POST", "/Bulk", () => ({ schemas: [BULK], Operations: [{ method: "DELETE", path: `/Users/${ub.id}` }] })],
    ["GET", "/ServiceProviderConfig", () => undefined],
    ["GET", "/ResourceTypes", () => undefined],
    ["GET", "/ResourceTypes/User", () => undefined],
    ["GET", "/Schemas", () => undefined],
    ["GET", `/Schemas/${USER}`, () => undefined],
  ];
  test.each(endpoints)("%s %s", async (method, template, body) => {
    const path = template.replace("{ub}", String(ub.id)).replace("{gb}", String(gb.id));
    const before = snapshot(h);
    const aOnB = client(h, b.tenant, a.tenant.token);
    const r = await aOnB.send(method, path, body());
    expectScimError(r, 401);
    expect(r.headers.get("www-authenticate")).toStartWith("Bearer");
    // And the other way round.
    const bOnA = client(h, a.tenant, b.tenant.token);
    expectScimError(await bOnA.send(method, template.replace("{ub}", String(ua.id)).replace("{gb}", String(ga.id)), body()), 401);
    expect(snapshot(h)).toBe(before);
  });
});
