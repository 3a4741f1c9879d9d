// Issue 4 §5: /Bulk (RFC 7644 §3.7).
import { beforeEach, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
let h: Harness;
let t: TestTenant;
type BulkResult = {
  Operations: { method: string; bulkId?: string; status: string; location?: string; version?: string; response?: { scimType?: string } }[];
};
type Doc = Record<string, unknown>;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const bulk = async (body: unknown) => {
  const res = await h.request("POST", `${t.url}/Bulk`, { token: t.token, body });
  return { status: res.status, body: (await res.json()) as BulkResult & { scimType?: string } };
};
const count = (table: string) => (h.services.db.query(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $t`).get({ t: t.id }) as { n: number }).n;
const get = async (path: string) => (await (await h.request("GET", `${t.url}${path}`, { token: t.token })).json()) as Doc;
const create = async (path: string, body: unknown) => (await (await h.request("POST", `${t.url}${path}`, { token: t.token, body })).json()) as Doc;
const patch = (path: string, ...ops: unknown[]) => ({ method: "PATCH", path, data: { schemas: [PATCH_OP], Operations: ops } });
const idOf = (location?: string) => location!.split("/").pop()!;
const user = (bulkId: string, userName: string) => ({ method: "POST", path: "/Users", bulkId, data: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName } });

beforeEach(async () => {
  h = await createHarness();
  t = await h.newTenant();
});

describe("RFC 7644 §3.7 Bulk", () => {
  test("§3.7.2: a group that references a user by bulkId, listed BEFORE the user, is created with that member", async () => {
    const { status, body } = await bulk({
      schemas: [BULK],
      Operations: [
        { method: "POST", path: "/Groups", bulkId: "g1", data: { displayName: "Eng", members: [{ value: "bulkId:u1", type: "User" }] } },
        user("u1", "alice"),
      ],
    });
    expect(status).toBe(200);
    expect(body.Operations.map((o) => [o.bulkId, o.status])).toEqual([["g1", "201"], ["u1", "201"]]);
    const userId = body.Operations[1].location!.split("/").pop()!;
    const groupId = body.Operations[0].location!.split("/").pop()!;
    const group = (await (await h.request("GET", `${t.url}/Groups/${groupId}`, { token: t.token })).json()) as { members: { value: string }[] };
    expect(group.members.map((m) => m.value)).toEqual([userId]);
  });

  test("PUT, PATCH and DELETE operations with per-operation status", async () => {
    const created = await bulk({ schemas: [BULK], Operations: [user("a", "bob")] });
    const path = `/Users/${created.body.Operations[0].location!.split("/").pop()}`;
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [
        { method: "PATCH", path, data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] } },
        { method: "PUT", path, data: { userName: "bob2", active: false } },
        { method: "DELETE", path },
        { method: "DELETE", path },
      ],
    });
    expect(body.Operations.map((o) => o.status)).toEqual(["200", "200", "204", "404"]);
    expect(count("users")).toBe(0);
  });

  test("§3.7.1: circular bulkId references are detected and reported, and nothing of them is written", async () => {
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [
        { method: "POST", path: "/Groups", bulkId: "a", data: { displayName: "A", members: [{ value: "bulkId:b" }] } },
        { method: "POST", path: "/Groups", bulkId: "b", data: { displayName: "B", members: [{ value: "bulkId:a" }] } },
      ],
    });
    expect(body.Operations.map((o) => o.status)).toEqual(["409", "409"]);
    expect(body.Operations[0].response?.scimType).toBe("invalidValue");
    expect(count("groups")).toBe(0);
  });

  test("a reference to a bulkId whose POST failed → 409 for the operations that need it only", async () => {
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [
        { method: "POST", path: "/Groups", bulkId: "g", data: { displayName: "G", members: [{ value: "bulkId:u2" }] } },
        user("u1", "carol"),
        user("u2", "carol"),
      ],
    });
    expect(body.Operations.map((o) => o.status)).toEqual(["409", "201", "409"]);
    expect(body.Operations[0].response?.scimType).toBe("invalidValue");
    expect(count("users")).toBe(1);
    expect(count("groups")).toBe(0);
  });

  // §3.7: failOnErrors "defines the number of errors that the service provider should accept before failing the
  // remaining operations"; an operation refused for a circular reference (§3.7.1) is such an error too.
  test("failOnErrors counts circular-reference refusals: the operations after the limit are not listed", async () => {
    const { status, body } = await bulk({
      schemas: [BULK],
      failOnErrors: 1,
      Operations: [
        { method: "POST", path: "/Groups", bulkId: "a", data: { displayName: "A", members: [{ value: "bulkId:b" }] } },
        { method: "POST", path: "/Groups", bulkId: "b", data: { displayName: "B", members: [{ value: "bulkId:a" }] } },
        user("c", "self-managed"),
      ],
    });
    expect(status).toBe(200);
    expect(body.Operations.map((o) => [o.bulkId, o.status])).toEqual([["a", "409"], ["c", "201"]]);
    expect([count("groups"), count("users")]).toEqual([0, 1]);
  });

  test("failOnErrors stops after that many errors; later operations do not run", async () => {
    const { body } = await bulk({
      schemas: [BULK],
      failOnErrors: 1,
      Operations: [user("1", "dave"), user("2", "dave"), user("3", "erin")],
    });
    expect(body.Operations.map((o) => o.status)).toEqual(["201", "409"]);
    expect(count("users")).toBe(1);
  });

  test("a failed operation leaves no half-written resource (group with a bad member type)", async () => {
    const u = await bulk({ schemas: [BULK], Operations: [user("u", "frank")] });
    const userId = u.body.Operations[0].location!.split("/").pop();
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [{ method: "POST", path: "/Groups", bulkId: "g", data: { displayName: "Half", members: [{ value: userId, type: "Group" }] } }],
    });
    expect(body.Operations[0].status).toBe("400");
    expect(count("groups")).toBe(0);
    expect(count("group_members")).toBe(0);
  });

  test("§3.7.4: more than maxOperations → 413 tooMany, nothing written", async () => {
    const ops = Array.from({ length: 1001 }, (_, i) => user(`u${i}`, `user${i}`));
    const { status, body } = await bulk({ schemas: [BULK], Operations: ops });
    expect(status).toBe(413);
    expect(body.scimType).toBe("tooMany");
    expect(count("users")).toBe(0);
  });

  test("§3.7.4: a body over maxPayloadSize → 413 tooLarge, nothing written", async () => {
    const big = "x".repeat(1024 * 1024);
    const { status, body } = await bulk({ schemas: [BULK], Operations: [{ ...user("u", "big"), data: { userName: "big", title: big } }] });
    expect(status).toBe(413);
    expect(body.scimType).toBe("tooLarge");
    expect(count("users")).toBe(0);
  });

  test("ServiceProviderConfig advertises the limits that are enforced", async () => {
    const spc = (await (await h.request("GET", `${t.url}/ServiceProviderConfig`, { token: t.token })).json()) as { bulk: Record<string, unknown> };
    expect(spc.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
  });

  test.each([
    ["not an object", []],
    ["no Operations", { schemas: [BULK] }],
    ["POST without bulkId", { schemas: [BULK], Operations: [{ method: "POST", path: "/Users", data: { userName: "x" } }] }],
    ["unknown method", { schemas: [BULK], Operations: [{ method: "GET", path: "/Users" }] }],
    ["duplicate bulkId", { schemas: [BULK], Operations: [user("a", "x1"), user("a", "x2")] }],
  ])("malformed request (%s) → 400, nothing written", async (_n, body) => {
    const res = await bulk(body);
    expect(res.status).toBe(400);
    expect(count("users")).toBe(0);
  });
});

describe("RFC 7644 §3.7: operations run in request order; one that needs a bulkId runs once that POST has", () => {
  test("independent operations around a deferred one keep request order", async () => {
    const g = await create("/Groups", { displayName: "G" });
    const path = `/Groups/${g.id}`;
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [
        patch(path, { op: "replace", path: "displayName", value: "A" }),
        patch(path, { op: "add", path: "members", value: [{ value: "bulkId:u1" }] }),
        user("u1", "dave"),
        patch(path, { op: "replace", path: "members", value: [] }),
        patch(path, { op: "replace", path: "displayName", value: "B" }),
      ],
    });
    // The group's version counts the writes to it: the deferred PATCH ran second of the four, not last.
    expect(body.Operations.map((o) => [o.status, o.version])).toEqual([
      ["200", 'W/"2"'],
      ["200", 'W/"3"'],
      ["201", 'W/"1"'],
      ["200", 'W/"4"'],
      ["200", 'W/"5"'],
    ]);
    const after = await get(path);
    expect(after.displayName).toBe("B");
    expect(after.members ?? []).toEqual([]);
  });

  test("a chain of 1000 operations, each needing the bulkId of the next, all run and resolve", async () => {
    const n = 1000;
    const ops = Array.from({ length: n }, (_, i) => ({
      method: "POST",
      path: "/Users",
      bulkId: `u${i}`,
      data: { userName: `chain${i}`, ...(i < n - 1 ? { externalId: `bulkId:u${i + 1}` } : {}) },
    }));
    const { status, body } = await bulk({ schemas: [BULK], Operations: ops });
    expect(status).toBe(200);
    expect(body.Operations.map((o) => o.bulkId)).toEqual(ops.map((o) => o.bulkId));
    expect(body.Operations.every((o) => o.status === "201")).toBe(true);
    const ids = body.Operations.map((o) => idOf(o.location));
    const rows = h.services.db.query("SELECT id, data FROM users WHERE tenant_id = $t").all({ t: t.id }) as { id: string; data: string }[];
    const externalIds = new Map(rows.map((r) => [r.id, (JSON.parse(r.data) as Doc).externalId]));
    expect(ids.map((id) => externalIds.get(id))).toEqual([...ids.slice(1), undefined]);
  });
});

describe("RFC 7644 §3.7.2: bulkId:X is a reference when a POST in the request defines X, data otherwise", () => {
  test("text that merely mentions bulkId:… is stored as sent", async () => {
    const { body } = await bulk({ schemas: [BULK], Operations: [{ ...user("x", "eve"), data: { userName: "eve", displayName: "see bulkId:docs" } }] });
    expect(body.Operations[0].status).toBe("201");
    expect((await get(`/Users/${idOf(body.Operations[0].location)}`)).displayName).toBe("see bulkId:docs");
  });

  test("a member naming a bulkId no POST defines is not a reference either: the group is made without it", async () => {
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [user("u", "carol"), { method: "POST", path: "/Groups", bulkId: "g", data: { displayName: "G", members: [{ value: "bulkId:nope" }] } }],
    });
    expect(body.Operations.map((o) => o.status)).toEqual(["201", "201"]);
    expect((await get(`/Groups/${idOf(body.Operations[1].location)}`)).members ?? []).toEqual([]);
  });

  test("a reference inside a PATCH filter and two in one string are both resolved", async () => {
    const g = await create("/Groups", { displayName: "G" });
    const path = `/Groups/${g.id}`;
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [
        user("a", "fa"),
        { ...user("b", "fb"), data: { userName: "fb", title: "bulkId:a bulkId:a" } },
        patch(path, { op: "add", path: "members", value: [{ value: "bulkId:a" }, { value: "bulkId:b" }] }),
        patch(path, { op: "remove", path: 'members[value eq "bulkId:a"]' }),
      ],
    });
    expect(body.Operations.map((o) => o.status)).toEqual(["201", "201", "200", "200"]);
    const [a, b] = [idOf(body.Operations[0].location), idOf(body.Operations[1].location)];
    expect((await get(`/Users/${b}`)).title).toBe(`${a} ${a}`);
    expect(((await get(path)).members as Doc[]).map((m) => m.value)).toEqual([b]);
  });

  test.each([["a b"], ["a/b"], ['a"b']])("a bulkId that no reference could name (%j) → 400, nothing written", async (bulkId) => {
    const { status, body } = await bulk({ schemas: [BULK], Operations: [user(bulkId, "gil")] });
    expect(status).toBe(400);
    expect(body.scimType).toBe("invalidValue");
    expect(count("users")).toBe(0);
  });
});

// RFC 7644 §3.7.3: location is "REQUIRED for all operations except in the event of a POST failure"; the RFC's own
// example lists a PUT that failed with 412 with its location.
describe("RFC 7644 §3.7.3: every PUT, PATCH and DELETE names its resource in location, on failure too", () => {
  test("failures on an existing resource carry its location", async () => {
    const u = await create("/Users", { userName: "hal" });
    const path = `/Users/${u.id}`;
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [
        { method: "PUT", path, version: 'W/"99"', data: { userName: "hal" } },
        patch(path, { op: "frobnicate", path: "title", value: "x" }),
        { method: "DELETE", path, version: 'W/"99"' },
      ],
    });
    expect(body.Operations.map((o) => o.status)).toEqual(["412", "400", "412"]);
    const location = `http://scimd.test${t.url}${path}`;
    expect(body.Operations.map((o) => o.location)).toEqual([location, location, location]);
  });

  test("DELETE, PUT and PATCH of an id that does not exist → 404 with the location the path names", async () => {
    const { status, body } = await bulk({
      schemas: [BULK],
      Operations: [
        { method: "DELETE", path: "/Users/nope" },
        { method: "PUT", path: "/Groups/gone", data: { displayName: "G" } },
        patch("/Users/missing", { op: "replace", path: "title", value: "x" }),
        { method: "DELETE", path: "/Groups/nope", version: 'W/"1"' },
      ],
    });
    expect(status).toBe(200);
    expect(body.Operations.map((o) => [o.status, o.location])).toEqual([
      ["404", `http://scimd.test${t.url}/Users/nope`],
      ["404", `http://scimd.test${t.url}/Groups/gone`],
      ["404", `http://scimd.test${t.url}/Users/missing`],
      ["404", `http://scimd.test${t.url}/Groups/nope`],
    ]);
    expect([count("users"), count("groups")]).toEqual([0, 0]);
  });

  test("an operation that needs a bulkId whose POST failed still names the resource its path names", async () => {
    const g = await create("/Groups", { displayName: "G" });
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [
        user("u1", "ivy"),
        user("u2", "ivy"),
        patch(`/Groups/${g.id}`, { op: "add", path: "members", value: [{ value: "bulkId:u2" }] }),
        { method: "DELETE", path: "/Users/bulkId:u1" },
      ],
    });
    expect(body.Operations.map((o) => [o.status, o.location])).toEqual([
      ["201", body.Operations[0].location],
      ["409", undefined],
      ["409", `http://scimd.test${t.url}/Groups/${g.id}`],
      ["204", body.Operations[0].location],
    ]);
  });

  // A path that names no resource of this tenant has no URL to give: location is left out (run-operation.ts).
  test.each([
    ["no id", { method: "DELETE", path: "/Users" }, "400"],
    ["another endpoint", { method: "PUT", path: "/Schemas", data: { userName: "x" } }, "404"],
    ["a path below a resource", { method: "DELETE", path: "/Users/x/y" }, "404"],
    ["another tenant's base", { method: "DELETE", path: "/scim/v2/other/Users/x" }, "404"],
    ["a query", { method: "DELETE", path: "/Users/x?attributes=id" }, "400"],
  ])("an operation whose path names no resource of this tenant (%s) → no location", async (_n, op, status) => {
    const { body } = await bulk({ schemas: [BULK], Operations: [op] });
    expect(body.Operations.map((o) => [o.status, o.location])).toEqual([[status, undefined]]);
  });

  test("an id that is still a bulkId whose POST failed names no resource → no location", async () => {
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [user("a", "jan"), user("b", "jan"), { method: "DELETE", path: "/Users/bulkId:b" }, { method: "DELETE", path: "/Users/bulkId:undefined-here" }],
    });
    expect(body.Operations.map((o) => [o.status, o.location])).toEqual([
      ["201", body.Operations[0].location],
      ["409", undefined],
      ["409", undefined],
      // No POST defines it, so bulkId:… is the id as sent (RFC 7644 §3.7.2), and that names a resource here.
      ["404", `http://scimd.test${t.url}/Users/bulkId:undefined-here`],
    ]);
  });
});

describe("failOnErrors", () => {
  // RFC 7643 §2.5: "Unassigned attributes, the null value, or empty array ... SHALL be considered to be equivalent
  // in 'state'": null sets no limit, as leaving failOnErrors out does.
  test.each([["failOnErrors"], ["FAILONERRORS"]])("%s: null → every operation runs, errors and all", async (name) => {
    const { status, body } = await bulk({ schemas: [BULK], [name]: null, Operations: [user("1", "kim"), user("2", "kim"), user("3", "lou")] });
    expect(status).toBe(200);
    expect(body.Operations.map((o) => o.status)).toEqual(["201", "409", "201"]);
    expect(count("users")).toBe(2);
  });

  test.each([["2"], [0], [-1], [1.5], [true], [false], [[1]], [{}]])("failOnErrors %j → 400 invalidValue, nothing written", async (failOnErrors) => {
    const { status, body } = await bulk({ schemas: [BULK], failOnErrors, Operations: [user("1", "max")] });
    expect(status).toBe(400);
    expect(body.scimType).toBe("invalidValue");
    expect(count("users")).toBe(0);
  });
});

describe("Operations[].version", () => {
  test.each([[7], [true], [{ etag: 'W/"1"' }], [null]])("a version that is not a string (%j) → 400 invalidValue, nothing written", async (version) => {
    const u = await create("/Users", { userName: "ike" });
    const { status, body } = await bulk({ schemas: [BULK], Operations: [{ method: "PUT", path: `/Users/${u.id}`, version, data: { userName: "ike2" } }] });
    expect(status).toBe(400);
    expect(body.scimType).toBe("invalidValue");
    expect((await get(`/Users/${u.id}`)).userName).toBe("ike");
  });

  // RFC 7644 §3.7: version is the operation's If-Match; an empty one lists no ETag, so no version matches it
  // (RFC 9110 §13.1.1), as a version that is not the current one does not: 412 for that operation only.
  test('version "" → 412 for that PUT, PATCH or DELETE, nothing changed; the others run', async () => {
    const u = await create("/Users", { userName: "kai" });
    const g = await create("/Groups", { displayName: "Crew" });
    const { status, body } = await bulk({
      schemas: [BULK],
      Operations: [
        { method: "PUT", path: `/Users/${u.id}`, version: "", data: { userName: "kai2" } },
        { ...patch(`/Groups/${g.id}`, { op: "replace", path: "displayName", value: "Team" }), version: "" },
        { method: "DELETE", path: `/Users/${u.id}`, version: "" },
        { method: "DELETE", path: `/Groups/${g.id}`, version: "" },
        patch(`/Users/${u.id}`, { op: "replace", path: "title", value: "ok" }),
      ],
    });
    expect(status).toBe(200);
    expect(body.Operations.map((o) => o.status)).toEqual(["412", "412", "412", "412", "200"]);
    expect(await get(`/Users/${u.id}`)).toMatchObject({ userName: "kai", title: "ok" });
    expect((await get(`/Groups/${g.id}`)).displayName).toBe("Crew");
  });
});

describe("RFC 7644 §3.7.4: maxPayloadSize counts bytes, with or without Content-Length", () => {
  test("a chunked body over the limit in UTF-8 bytes (under it in UTF-16 units) → 413 tooLarge, nothing written", async () => {
    const text = JSON.stringify({ schemas: [BULK], Operations: [{ ...user("u", "big"), data: { userName: "big", title: "é".repeat(600_000) } }] });
    const bytes = new TextEncoder().encode(text);
    expect(text.length).toBeLessThan(1024 * 1024);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const res = await h.app.handle(
      new Request(`http://scimd.test${t.url}/Bulk`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.token}`, "content-type": "application/scim+json" },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(bytes);
            controller.close();
          },
        }),
      }),
    );
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/scim+json");
    expect(((await res.json()) as Doc).scimType).toBe("tooLarge");
    expect(count("users")).toBe(0);
  });
});

describe("RFC 7644 §3.7: an operation's path is the resource's relative path, without query or fragment", () => {
  test("a path with ?… or #… → that operation 400 invalidPath, nothing written; the others run", async () => {
    const u = await create("/Users", { userName: "jo" });
    const g = await create("/Groups", { displayName: "Ops" });
    const { status, body } = await bulk({
      schemas: [BULK],
      Operations: [
        { method: "PUT", path: `/Users/${u.id}?x=1`, data: { userName: "jo2" } },
        patch(`/Groups/${g.id}?attributes=displayName`, { op: "replace", path: "displayName", value: "Dev" }),
        { method: "DELETE", path: `/Users/${u.id}#f` },
        { method: "POST", path: '/Users?filter=userName eq "kim"', bulkId: "k", data: { userName: "kim" } },
        { method: "POST", path: "/Groups#top", bulkId: "q", data: { displayName: "Q" } },
        { method: "PATCH", path: `/Users/${u.id}`, data: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "ok" }] } },
      ],
    });
    expect(status).toBe(200);
    expect(body.Operations.map((o) => o.status)).toEqual(["400", "400", "400", "400", "400", "200"]);
    for (const o of body.Operations.slice(0, 5)) {
      expect(o.response?.scimType).toBe("invalidPath");
      expect(o.location).toBeUndefined();
    }
    expect(await get(`/Users/${u.id}`)).toMatchObject({ userName: "jo", title: "ok" });
    expect((await get(`/Groups/${g.id}`)).displayName).toBe("Ops");
    expect([count("users"), count("groups")]).toEqual([1, 1]);
  });

  test("a bulkId reference is resolved before the path is checked: a bulkId holding '?' still names its resource", async () => {
    const { body } = await bulk({
      schemas: [BULK],
      Operations: [user("a?b", "lee"), patch("/Users/bulkId:a?b", { op: "replace", path: "title", value: "t" })],
    });
    expect(body.Operations.map((o) => o.status)).toEqual(["201", "200"]);
    expect((await get(`/Users/${idOf(body.Operations[0].location)}`)).title).toBe("t");
  });
});
