// Issue 5 part 1: request and response bodies only when the tenant's admin setting is on (off by default),
// with passwords, tokens and Authorization redacted; never for requests the SCIM guard did not let in.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { entries, entryWithBodies, PATCH_SCHEMA, patchOp, USER_SCHEMA } from "./support";

let h: Harness;
let a: TestTenant;

beforeAll(async () => {
  h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
  a = await h.newTenant("A");
});

const BULK_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const lastWithBodies = async () => entryWithBodies(h, (await entries(h, `?tenant=${a.id}&limit=1`))[0]!.id);
const userId = async () => (await entries(h, `?tenant=${a.id}&operation=create&limit=1`))[0]!.resourceId;
const createUser = (userName: string, extra: Record<string, unknown> = {}) =>
  h.request("POST", `${a.url}/Users`, { token: a.token, body: { schemas: [USER_SCHEMA], userName, ...extra } });

describe("log settings", () => {
  test("off by default: no headers, no bodies", async () => {
    expect(await (await h.admin("GET", `/tenants/${a.id}/log-settings`)).json()).toEqual({ captureBodies: false });
    await createUser("off@x", { password: "hunter2" });
    expect(await lastWithBodies()).toMatchObject({ operation: "create", requestHeaders: null, requestBody: null, responseBody: null });
  });

  test("PUT turns capture on; GET reads it back", async () => {
    const res = await h.admin("PUT", `/tenants/${a.id}/log-settings`, { captureBodies: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ captureBodies: true });
    expect(await (await h.admin("GET", `/tenants/${a.id}/log-settings`)).json()).toEqual({ captureBodies: true });
  });

  test("with capture on: request and response bodies, the password and Authorization redacted", async () => {
    const res = await createUser("on@x", { password: "hunter2" });
    expect(res.status).toBe(201);
    const e = await lastWithBodies();
    expect(JSON.parse(e.requestBody ?? "")).toMatchObject({ userName: "on@x", password: "[REDACTED]" });
    expect(JSON.parse(e.responseBody ?? "")).toMatchObject({ userName: "on@x" });
    const headers = JSON.parse(e.requestHeaders ?? "{}") as Record<string, string>;
    expect(headers.authorization).toBe("[REDACTED]");
    expect(headers["content-type"]).toStartWith("application/scim+json");
    expect(JSON.stringify(e)).not.toContain("hunter2");
    expect(JSON.stringify(e)).not.toContain(a.token);
  });

  test("a PATCH whose path is password is stored without the password", async () => {
    const id = (await entries(h, `?tenant=${a.id}&limit=1`))[0]!.resourceId;
    await h.request("PATCH", `${a.url}/Users/${id}`, { token: a.token, body: patchOp({ op: "Replace", path: "password", value: "n3w-secret" }) });
    const e = await lastWithBodies();
    expect(e.operation).toBe("update");
    expect(e.requestBody).toContain("[REDACTED]");
    expect(JSON.stringify(e)).not.toContain("n3w-secret");
  });

  // The PATCH parser reads `Operations`, `path` and `value` in any case (RFC 7643 §2.1): so must redaction.
  const anyCasePatches: [string, Record<string, unknown>][] = [
    ["lower-case operations", { schemas: [PATCH_SCHEMA], operations: [{ op: "replace", path: "password", value: "Leak-1-Aa!" }] }],
    ["Path and Value", patchOp({ op: "replace", Path: "password", Value: "Leak-2-Aa!" })],
    ["upper-case keys, Password", { OPERATIONS: [{ OP: "Replace", PATH: "Password", VALUE: "Leak-3-Aa!" }] }],
    ["the attribute's URN", patchOp({ op: "replace", path: `${USER_SCHEMA}:password`, Value: "Leak-4-Aa!" })],
    ["no path, Password in the value", patchOp({ op: "replace", Value: { Password: "Leak-5-Aa!", displayName: "kept" } })],
  ];
  for (const [name, body] of anyCasePatches) {
    test(`a PATCH setting the password, ${name}: applied, and stored without it`, async () => {
      const res = await h.request("PATCH", `${a.url}/Users/${await userId()}`, { token: a.token, body });
      expect(res.status).toBe(200);
      const e = await lastWithBodies();
      expect(e.requestBody).toContain("[REDACTED]");
      expect(JSON.stringify(e)).not.toContain("Leak-");
    });
  }

  test("a Bulk PATCH setting the password with capitalised keys is stored without it", async () => {
    const data = patchOp({ op: "replace", Path: "password", Value: "Leak-6-Aa!" });
    const res = await h.request("POST", `${a.url}/Bulk`, {
      token: a.token,
      body: { schemas: [BULK_SCHEMA], Operations: [{ method: "PATCH", path: `/Users/${await userId()}`, data }] },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"status":"200"');
    const e = await lastWithBodies();
    expect(e.operation).toBe("bulk");
    expect(JSON.stringify(e)).not.toContain("Leak-6");
  });

  test("a PATCH body that is not JSON is refused, and stored without the password its text names", async () => {
    const text = `{"Operations":[{"op":"replace","Path":"password","Value":"Leak-7-Aa!"}]`;
    const res = await h.request("PATCH", `${a.url}/Users/${await userId()}`, { token: a.token, body: text });
    expect(res.status).toBe(400);
    const e = await lastWithBodies();
    expect(e.requestBody).toContain("[REDACTED]");
    expect(JSON.stringify(e)).not.toContain("Leak-7");
  });

  test("error answers are captured too", async () => {
    await createUser("on@x");
    const e = await lastWithBodies();
    expect(e.status).toBe(409);
    expect(JSON.parse(e.responseBody ?? "")).toMatchObject({ scimType: "uniqueness" });
  });

  test("a 401 never has its bodies or headers stored, even with capture on", async () => {
    await h.request("POST", `${a.url}/Users`, { token: "wrong", body: { userName: "x", password: "stranger-secret" } });
    const e = await lastWithBodies();
    expect(e).toMatchObject({ status: 401, requestHeaders: null, requestBody: null, responseBody: null });
  });

  // A request the guard never let in is a stranger's, whatever its status: its entry is kept, not what it sent.
  const strangers: [string, string, string, number][] = [
    ["an unknown endpoint", "POST", "/NoSuchEndpoint", 404],
    ["a method the endpoint does not serve", "PUT", "/ServiceProviderConfig", 405],
    ["a path below a resource", "PATCH", "/Users/x/y", 404],
    ["a path with malformed percent-encoding", "POST", "/Users/%ZZ", 400],
  ];
  for (const [name, method, path, status] of strangers) {
    test(`a stranger's request to ${name} (${status}) is recorded without its headers or bodies`, async () => {
      const body = `STRANGER-${"x".repeat(60_000)}`;
      const res = await h.request(method, `${a.url}${path}`, { body, headers: { authorization: a.token, "content-type": "application/scim+json" } });
      expect(res.status).toBe(status);
      const e = await lastWithBodies();
      expect(e).toMatchObject({ method, status, requestHeaders: null, requestBody: null, responseBody: null });
    });
  }

  test("PUT false turns it off again", async () => {
    await h.admin("PUT", `/tenants/${a.id}/log-settings`, { captureBodies: false });
    await createUser("off-again@x");
    expect(await lastWithBodies()).toMatchObject({ requestBody: null, responseBody: null });
  });

  test("unknown tenant → 404; a bad body → 400; no admin token → 401", async () => {
    expect((await h.admin("PUT", `/tenants/${crypto.randomUUID()}/log-settings`, { captureBodies: true })).status).toBe(404);
    expect((await h.admin("PUT", `/tenants/${a.id}/log-settings`, { captureBodies: "yes" })).status).toBe(400);
    const res = await h.request("PUT", `/admin/v1/tenants/${a.id}/log-settings`, {
      body: { captureBodies: true },
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(401);
  });
});

// RFC 6750 §2.3 lets a client send its token as ?access_token=; scimd refuses it (401), and its entry, kept
// with capture off too, must not keep the token.
describe("tokens in the query string", () => {
  const storedPath = async (query: string, token?: string) => {
    await h.request("GET", `${a.url}/Users?${query}`, { token });
    return (await entries(h, `?tenant=${a.id}&limit=1`))[0]!.path;
  };

  test("access_token: refused, and stored as [REDACTED]", async () => {
    await h.admin("PUT", `/tenants/${a.id}/log-settings`, { captureBodies: false });
    const res = await h.request("GET", `${a.url}/Users?access_token=${a.token}`);
    expect(res.status).toBe(401);
    expect((await entries(h, `?tenant=${a.id}&limit=1`))[0]!.path).toBe(`${a.url}/Users?access_token=[REDACTED]`);
  });

  test("any parameter whose name says token, secret or password, in any case or percent-encoded", async () => {
    const secret = "s3cr3t-value";
    for (const name of ["ACCESS_TOKEN", "id_token", "client_secret", "Password", "access%5Ftoken"]) {
      expect(await storedPath(`count=1&${name}=${secret}`, a.token)).toBe(`${a.url}/Users?count=1&${name}=[REDACTED]`);
    }
  });

  test("a JWT as the value of any parameter", async () => {
    expect(await storedPath(`t=${a.token}&count=1`, a.token)).toBe(`${a.url}/Users?t=[REDACTED]&count=1`);
  });

  test("ordinary queries are stored as sent", async () => {
    const lookup = `filter=${encodeURIComponent('userName eq "token@x"')}&count=5`;
    expect(await storedPath(lookup, a.token)).toBe(`${a.url}/Users?${lookup}`);
  });
});
