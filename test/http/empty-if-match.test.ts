// RFC 9110 §13.1.1: If-Match lists entity tags or `*`; a present header that lists none matches no resource.
// An empty or blank If-Match → 412 for PUT, PATCH and DELETE, nothing changed, as /Bulk's `version: ""` does.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/open";
import { startServer } from "../../src/server";
import { createServices } from "../../src/services";
import { createHarness, TEST_ADMIN_TOKEN, type Harness, type TestTenant } from "../support/harness";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
let h: Harness;
let t: TestTenant;
const scim = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  h.request(method, `${t.url}${path}`, { token: t.token, body, headers });
const created = async (path: string, body: unknown) => ((await (await scim("POST", path, body)).json()) as { id: string }).id;

beforeAll(async () => {
  h = await createHarness();
  t = await h.newTenant();
});

// Each test names its own resources, so one that fails leaves nothing in the way of the next.
let serial = 0;
const writes = {
  Users: { create: () => ({ userName: `ifmatch-user-${++serial}` }), put: () => ({ userName: `renamed-user-${++serial}` }), patch: () => ({ op: "replace", path: "title", value: "x" }) },
  Groups: { create: () => ({ displayName: `IfMatch Crew ${++serial}` }), put: () => ({ displayName: `Renamed Crew ${++serial}` }), patch: () => ({ op: "replace", path: "displayName", value: `Patched Crew ${++serial}` }) },
} as const;
const cases = (["Users", "Groups"] as const).flatMap((type) => ["PUT", "PATCH", "DELETE"].flatMap((method) => ["", "   "].map((value) => [type, method, value] as const)));

describe("If-Match present but naming no ETag", () => {
  test.each(cases)("%s %s with If-Match %p → 412, nothing changed", async (type, method, value) => {
    const id = await created(`/${type}`, writes[type].create());
    const before = await (await scim("GET", `/${type}/${id}`)).text();
    const body = method === "PUT" ? writes[type].put() : method === "PATCH" ? { schemas: [PATCH_OP], Operations: [writes[type].patch()] } : undefined;
    const res = await scim(method, `/${type}/${id}`, body, { "if-match": value });
    expect(res.status).toBe(412);
    const error = (await res.json()) as { status: string; detail: string; schemas: string[] };
    expect(error).toMatchObject({ status: "412", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
    expect(error.detail).toContain("names no ETag");
    expect(await (await scim("GET", `/${type}/${id}`)).text()).toBe(before);
    await scim("DELETE", `/${type}/${id}`);
  });

  test.each(["Users", "Groups"] as const)("%s: without an If-Match header PUT, PATCH and DELETE still apply", async (type) => {
    const id = await created(`/${type}`, writes[type].create());
    expect((await scim("PUT", `/${type}/${id}`, writes[type].put())).status).toBe(200);
    expect((await scim("PATCH", `/${type}/${id}`, { schemas: [PATCH_OP], Operations: [writes[type].patch()] })).status).toBeLessThan(300);
    expect((await scim("DELETE", `/${type}/${id}`)).status).toBe(204);
    expect((await scim("GET", `/${type}/${id}`)).status).toBe(404);
  });

  test.each(["", "   "])("GET with If-None-Match %p → 200 with the resource, never 304", async (value) => {
    const id = await created("/Users", { userName: `inm-${value.length}` });
    const res = await scim("GET", `/Users/${id}`, undefined, { "if-none-match": value });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(id);
  });
});

describe("on a real listening server, where Bun reads `If-Match:` with no value off the wire", () => {
  let server: ReturnType<typeof startServer>;
  let base: string;
  let tenant: { id: string; token: string };
  beforeAll(async () => {
    const config = loadConfig({ SCIMD_HOST: "127.0.0.1", SCIMD_PORT: "0", SCIMD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, SCIMD_DATA_DIR: "/nonexistent" });
    const services = await createServices(config, "test", { db: openDatabase(":memory:"), serving: true });
    server = startServer(services);
    base = `http://127.0.0.1:${server.port}`;
    const res = await fetch(`${base}/admin/v1/tenants`, { method: "POST", headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ name: "Wire" }) });
    tenant = (await res.json()) as { id: string; token: string };
  });
  afterAll(() => server.stop());

  /** Sends a DELETE as raw HTTP/1.1 with the given extra header lines; resolves with the status code. */
  const rawDelete = (path: string, extraHeaders: string) =>
    new Promise<number>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1", () =>
        socket.write(`DELETE ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${tenant.token}\r\n${extraHeaders}Connection: close\r\n\r\n`),
      );
      let reply = "";
      socket.on("data", (chunk) => (reply += chunk));
      socket.on("end", () => resolve(Number(reply.split(" ")[1])));
      socket.on("error", reject);
    });

  test("DELETE with an empty If-Match line → 412 and the user stays; without the line → 204", async () => {
    const res = await fetch(`${base}/scim/v2/${tenant.id}/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.token}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ userName: "wire-user" }),
    });
    const { id } = (await res.json()) as { id: string };
    const path = `/scim/v2/${tenant.id}/Users/${id}`;
    expect(await rawDelete(path, "If-Match:\r\n")).toBe(412);
    expect(await rawDelete(path, "If-Match:    \r\n")).toBe(412);
    expect((await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tenant.token}` } })).status).toBe(200);
    expect(await rawDelete(path, "")).toBe(204);
  });
});
