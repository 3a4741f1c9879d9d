// Issue 5 part 1: every SCIM request of every tenant is recorded — successes, errors, 401s of existing
// tenants — and nothing is recorded for tenant ids that do not exist.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { entries, GROUP_SCHEMA, GUID, patchOp, rowCount, settle, USER_SCHEMA } from "./support";

let h: Harness;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
  a = await h.newTenant("A");
  b = await h.newTenant("B");
});

const last = async (tenant: string) => (await entries(h, `?tenant=${tenant}&limit=1`))[0];

describe("what each entry holds", () => {
  test("a successful request: time, request id (= X-Request-Id), method, path with query, status, duration, agent", async () => {
    const before = Date.now();
    const res = await h.request("GET", `${a.url}/ServiceProviderConfig?x=1`, { token: a.token, headers: { "user-agent": "Azure AD SCIM Client" } });
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const e = await last(a.id);
    expect(e).toMatchObject({
      tenantId: a.id,
      requestId,
      method: "GET",
      path: `/scim/v2/${a.id}/ServiceProviderConfig?x=1`,
      operation: "discovery",
      status: 200,
      scimType: null,
      detail: null,
      userAgent: "Azure AD SCIM Client",
    });
    expect(Date.parse(e.time)).toBeGreaterThanOrEqual(before - 1);
    expect(e.durationMs).toBeGreaterThanOrEqual(0);
  });

  test("every SCIM answer carries a fresh X-Request-Id: success, 401, 404, error", async () => {
    const answers = [
      await h.request("GET", `${a.url}/ServiceProviderConfig`, { token: a.token }),
      await h.request("GET", `${a.url}/ServiceProviderConfig`, { token: a.token }),
      await h.request("GET", `${a.url}/Users`),
      await h.request("GET", `${a.url}/Nope`, { token: a.token }),
      await h.request("GET", `${a.url}/Users/${crypto.randomUUID()}`, { token: a.token }),
      await h.request("GET", `/scim/v2/${crypto.randomUUID()}/Users`),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 401, 404, 404, 401]);
    const ids = answers.map((r) => r.headers.get("x-request-id"));
    expect(ids.every((id) => /^[0-9a-f-]{36}$/.test(id ?? ""))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("a 401 for an existing tenant is recorded, with its request id", async () => {
    const res = await h.request("GET", `${a.url}/Users`, { token: b.token });
    expect(res.status).toBe(401);
    const e = await last(a.id);
    expect(e).toMatchObject({ status: 401, requestId: res.headers.get("x-request-id"), operation: "list", detail: "authorization failed" });
  });

  test("requests for a tenant id that does not exist create no rows", async () => {
    await settle(h.services);
    const before = rowCount(h.services);
    const unknown = crypto.randomUUID();
    for (const path of ["/Users", "/ServiceProviderConfig", "/Nope"]) {
      expect((await h.request("GET", `/scim/v2/${unknown}${path}`, { token: a.token })).status).toBeOneOf([401, 404]);
    }
    await h.request("POST", `/scim/v2/${unknown}/Users`, { token: a.token, body: { userName: "x" } });
    await settle(h.services);
    expect(rowCount(h.services)).toBe(before);
    expect(h.services.db.query("SELECT count(*) AS n FROM request_log WHERE tenant_id = $t").get({ t: unknown })).toEqual({ n: 0 });
    expect(h.services.requestLog.writer.unattributed).toBeGreaterThanOrEqual(4);
  });

  test("the admin API and other non-SCIM paths are not recorded", async () => {
    await settle(h.services);
    const before = rowCount(h.services);
    await h.admin("GET", "/tenants");
    await h.request("GET", "/healthz");
    await settle(h.services);
    expect(rowCount(h.services)).toBe(before);
  });

  test("an unknown SCIM endpoint (rendered by on-error) is recorded as a 404", async () => {
    const res = await h.request("GET", `${a.url}/Nope`, { token: a.token });
    expect(res.status).toBe(404);
    const entry = await last(a.id);
    expect(entry).toMatchObject({ status: 404, operation: "other", requestId: res.headers.get("x-request-id") });
    // Its time is measured too, though no route hook ran for it.
    expect(entry.durationMs).toBeGreaterThan(0);
  });

  test("a method an endpoint does not serve is recorded as the 405 it was answered with, OPTIONS as 204", async () => {
    const res = await h.request("DELETE", `${a.url}/Users`, { token: a.token });
    expect(res.status).toBe(405);
    expect(await last(a.id)).toMatchObject({ status: 405, method: "DELETE", requestId: res.headers.get("x-request-id") });
    const options = await h.request("OPTIONS", `${a.url}/Users`, { token: a.token });
    expect(options.status).toBe(204);
    expect(await last(a.id)).toMatchObject({ status: 204, method: "OPTIONS", requestId: options.headers.get("x-request-id") });
  });

  test("a lower-case endpoint (rerouted to the canonical one) is one entry with the request id it answered with", async () => {
    await settle(h.services);
    const before = rowCount(h.services);
    const res = await h.request("GET", `${a.url}/serviceproviderconfig`, { token: a.token });
    expect(res.status).toBe(200);
    await settle(h.services);
    expect(rowCount(h.services)).toBe(before + 1);
    expect((await last(a.id)).requestId).toBe(res.headers.get("x-request-id") ?? "");
  });
});

describe("the Entra conversation, as the log tells it", () => {
  let userId = "";
  let groupId = "";

  test("Test Connection", async () => {
    const filter = encodeURIComponent(`userName eq "${GUID}"`);
    expect((await h.request("GET", `${a.url}/Users?filter=${filter}`, { token: a.token })).status).toBe(200);
    expect(await last(a.id)).toMatchObject({ operation: "test_connection", status: 200, resourceType: "User" });
  });

  test("a probe-shaped filter that finds someone is a lookup: the list's total decides, not its shape", async () => {
    const guidName = crypto.randomUUID();
    const created = await h.request("POST", `${a.url}/Users`, { token: a.token, body: { schemas: [USER_SCHEMA], userName: guidName } });
    expect(created.status).toBe(201);
    const filter = encodeURIComponent(`userName eq "${guidName}"`);
    expect((await h.request("GET", `${a.url}/Users?filter=${filter}`, { token: a.token })).status).toBe(200);
    expect(await last(a.id)).toMatchObject({ operation: "lookup", status: 200, resourceName: guidName });
    const id = ((await created.json()) as { id: string }).id;
    expect((await h.request("DELETE", `${a.url}/Users/${id}`, { token: a.token })).status).toBe(204);
  });

  test("POST /.search: its filter is read from the body, its total from the handler", async () => {
    const probe = await h.request("POST", `${a.url}/Users/.search`, { token: a.token, body: { filter: `userName eq "${GUID}"` } });
    expect(probe.status).toBe(200);
    expect(await last(a.id)).toMatchObject({ operation: "test_connection", method: "POST", status: 200, resourceType: "User" });
    const list = await h.request("POST", `${a.url}/Users/.search`, { token: a.token, body: { filter: 'userName sw "a"', count: 5 } });
    expect(list.status).toBe(200);
    expect(await last(a.id)).toMatchObject({ operation: "list", method: "POST", status: 200 });
  });

  test("create: the new id (from Location) and the userName", async () => {
    const res = await h.request("POST", `${a.url}/Users`, { token: a.token, body: { schemas: [USER_SCHEMA], userName: "alice@contoso.com" } });
    expect(res.status).toBe(201);
    userId = ((await res.json()) as { id: string }).id;
    expect(await last(a.id)).toMatchObject({ operation: "create", status: 201, resourceType: "User", resourceId: userId, resourceName: "alice@contoso.com" });
  });

  test("match: a lookup named after the userName it looks for", async () => {
    const filter = encodeURIComponent('userName eq "alice@contoso.com"');
    await h.request("GET", `${a.url}/Users?filter=${filter}`, { token: a.token });
    expect(await last(a.id)).toMatchObject({ operation: "lookup", resourceName: "alice@contoso.com" });
    await h.request("POST", `${a.url}/Users/.search`, { token: a.token, body: { filter: 'userName eq "alice@contoso.com"' } });
    expect(await last(a.id)).toMatchObject({ operation: "lookup", method: "POST", resourceName: "alice@contoso.com" });
  });

  test("a duplicate create: 409 with scimType and detail from the error body", async () => {
    await h.request("POST", `${a.url}/Users`, { token: a.token, body: { schemas: [USER_SCHEMA], userName: "ALICE@contoso.com" } });
    const e = await last(a.id);
    expect(e).toMatchObject({ operation: "create", status: 409, scimType: "uniqueness", resourceName: "ALICE@contoso.com" });
    expect(e.detail).toContain("already taken");
  });

  test("update, disable and enable by PATCH, named after the user", async () => {
    const patch = (body: unknown) => h.request("PATCH", `${a.url}/Users/${userId}`, { token: a.token, body });
    await patch(patchOp({ op: "Replace", path: "displayName", value: "Alice" }));
    expect(await last(a.id)).toMatchObject({ operation: "update", resourceId: userId, resourceName: "alice@contoso.com", status: 200 });
    await patch(patchOp({ op: "Replace", path: "active", value: "False" }));
    expect(await last(a.id)).toMatchObject({ operation: "disable", resourceId: userId, resourceName: "alice@contoso.com" });
    await patch(patchOp({ op: "replace", path: "active", value: true }));
    expect(await last(a.id)).toMatchObject({ operation: "enable" });
  });

  test("a malformed PATCH: 400 with its scimType", async () => {
    await h.request("PATCH", `${a.url}/Users/${userId}`, { token: a.token, body: "{not json" });
    expect(await last(a.id)).toMatchObject({ status: 400, scimType: "invalidSyntax" });
  });

  test("a path with malformed percent-encoding: 400, recorded like any answer", async () => {
    const res = await h.request("DELETE", `${a.url}/Users/%ZZ`, { token: a.token });
    expect(res.status).toBe(400);
    expect(await last(a.id)).toMatchObject({ method: "DELETE", path: `${a.url}/Users/%ZZ`, status: 400, scimType: "invalidSyntax" });
  });

  test("group create, member add and member remove", async () => {
    const res = await h.request("POST", `${a.url}/Groups`, { token: a.token, body: { schemas: [GROUP_SCHEMA], displayName: "Sales" } });
    groupId = ((await res.json()) as { id: string }).id;
    expect(await last(a.id)).toMatchObject({ operation: "create", resourceType: "Group", resourceId: groupId, resourceName: "Sales" });
    const patch = (body: unknown) => h.request("PATCH", `${a.url}/Groups/${groupId}`, { token: a.token, body });
    expect((await patch(patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: userId }] }))).status).toBeLessThan(300);
    expect(await last(a.id)).toMatchObject({ operation: "member_add", resourceName: "Sales" });
    await patch(patchOp({ op: "Remove", path: "members", value: [{ value: userId }] }));
    expect(await last(a.id)).toMatchObject({ operation: "member_remove", resourceId: groupId });
  });

  test("delete keeps the name of what was deleted", async () => {
    expect((await h.request("DELETE", `${a.url}/Users/${userId}`, { token: a.token })).status).toBe(204);
    expect(await last(a.id)).toMatchObject({ operation: "delete", status: 204, resourceId: userId, resourceName: "alice@contoso.com" });
  });

  test("entries are tenant-scoped: B's log holds none of A's traffic", async () => {
    await h.request("GET", `${b.url}/Users`, { token: b.token });
    const bs = await entries(h, `?tenant=${b.id}`);
    expect(bs.length).toBeGreaterThan(0);
    expect(bs.every((e) => e.tenantId === b.id)).toBe(true);
  });

  test("deleting a tenant deletes its log", async () => {
    const c = await h.newTenant("C");
    await h.request("GET", `${c.url}/Users`, { token: c.token });
    await settle(h.services);
    expect((await entries(h, `?tenant=${c.id}`)).length).toBe(1);
    expect((await h.admin("DELETE", `/tenants/${c.id}`)).status).toBe(204);
    expect(h.services.db.query("SELECT count(*) AS n FROM request_log WHERE tenant_id = $t").get({ t: c.id })).toEqual({ n: 0 });
  });
});

describe("throttling", () => {
  test("429 answers of the rate limiter are recorded like any other", async () => {
    const limited = await createHarness({ SCIMD_RATE_LIMIT: "1" });
    const t = await limited.newTenant("limited");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await limited.request("GET", `${t.url}/Users`, { token: t.token })).status);
    expect(statuses).toContain(429);
    await settle(limited.services);
    const logged = limited.services.db.query("SELECT status FROM request_log WHERE tenant_id = $t ORDER BY id").all({ t: t.id }) as { status: number }[];
    expect(logged.map((r) => r.status)).toEqual(statuses);
  });

  test("a PATCH refused with 429 is still told by its body (the handler never read it): a disable", async () => {
    const limited = await createHarness({ SCIMD_RATE_LIMIT: "1" });
    const t = await limited.newTenant("limited");
    const disable = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "False" }] };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await limited.request("PATCH", `${t.url}/Users/${crypto.randomUUID()}`, { token: t.token, body: disable })).status);
    expect(statuses).toContain(429);
    await settle(limited.services);
    const logged = limited.services.db.query("SELECT status, operation FROM request_log WHERE tenant_id = $t ORDER BY id").all({ t: t.id }) as { status: number; operation: string }[];
    expect(logged.map((r) => r.status)).toEqual(statuses);
    expect(new Set(logged.map((r) => r.operation))).toEqual(new Set(["disable"]));
  });
});

describe("bodies the handler could not parse", () => {
  test("a PATCH whose body is not JSON: 400 invalidSyntax, recorded as an update", async () => {
    const res = await h.request("PATCH", `${a.url}/Users/${crypto.randomUUID()}`, { token: a.token, body: "{not json" });
    expect(res.status).toBe(400);
    expect(await last(a.id)).toMatchObject({ operation: "update", status: 400, scimType: "invalidSyntax" });
  });
});

describe("SCIMD_REQUEST_LOG=0", () => {
  test("no entry is recorded and no X-Request-Id is sent", async () => {
    const h = await createHarness({ SCIMD_REQUEST_LOG: "0" });
    const t = await h.newTenant();
    const res = await h.request("GET", `${t.url}/Users`, { token: t.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeNull();
    await h.services.requestLog.writer.flush();
    const n = h.services.db.query("SELECT count(*) AS n FROM request_log").get() as { n: number };
    expect(n.n).toBe(0);
  });
});
