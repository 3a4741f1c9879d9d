// A full disk, a read-only database or a lock held past the busy timeout by another process say nothing
// about the request: each answers 503 with a detail an operator can act on (not 500 "internal server
// error"), changes nothing, and the provisioning log keeps the entries it could not write until it can.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { DB_FILE } from "../../src/db/open";
import { type LiveServer, startLiveServer } from "../log/live-server";
import type { TestTenant } from "../support/harness";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let server: LiveServer;
let t: TestTenant;
let userId: string;

const scim = (method: string, path: string, body?: unknown) =>
  fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.token}`, "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const userCount = () => (server.services.db.query("SELECT count(*) AS n FROM users").get() as { n: number }).n;
const title = async () => ((await (await scim("GET", `/Users/${userId}`)).json()) as { title?: string }).title;
const rename = (value: string) => scim("PATCH", `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value }] });

/** The methods of the tenant's logged requests answered 503, sorted. */
async function refusedMethods() {
  const log = (await (await server.admin(`/log?tenant=${t.id}&limit=200`)).json()) as { entries: { method: string; status: number }[] };
  return log.entries.filter((e) => e.status === 503).map((e) => e.method).sort();
}

async function expectUnavailable(res: Response, detail: RegExp) {
  expect(res.status).toBe(503);
  const body = (await res.json()) as { status: string; detail: string; schemas: string[] };
  expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  expect(body.status).toBe("503");
  expect(body.detail).toMatch(detail);
}

beforeAll(async () => {
  server = await startLiveServer();
  t = await server.tenant();
  const res = await scim("POST", "/Users", { schemas: [USER], userName: "disk@example.com", title: "before" });
  userId = ((await res.json()) as { id: string }).id;
});
afterAll(() => server.stop());

describe("storage failures answer 503 and change nothing", () => {
  test("database full (max_page_count reached): POST and PATCH are 503; reads still answer; then writes resume", async () => {
    const db = server.services.db;
    server.services.requestLog.writer.flush();
    const before = userCount();
    const { page_count } = db.query("PRAGMA page_count").get() as { page_count: number };
    db.exec(`PRAGMA max_page_count = ${page_count}`);
    try {
      const big = "x".repeat(200_000);
      await expectUnavailable(await scim("POST", "/Users", { schemas: [USER], userName: "full@example.com", title: big }), /storage is full/);
      await expectUnavailable(await rename(big), /storage is full/);
      expect((await scim("GET", `/Users/${userId}`)).status).toBe(200);
    } finally {
      db.exec("PRAGMA max_page_count = 4294967294");
    }
    expect(userCount()).toBe(before);
    expect(await title()).toBe("before");
    expect((await scim("POST", "/Users", { schemas: [USER], userName: "after-full@example.com" })).status).toBe(201);
  });

  test("database read-only: writes are 503, the admin API too; the log keeps its entries until it can write them", async () => {
    const db = server.services.db;
    server.services.requestLog.writer.flush();
    const before = userCount();
    const refusedBefore = await refusedMethods();
    db.exec("PRAGMA query_only = 1");
    try {
      await expectUnavailable(await scim("POST", "/Users", { schemas: [USER], userName: "ro@example.com" }), /read-only/);
      await expectUnavailable(await rename("read-only"), /read-only/);
      await expectUnavailable(await scim("DELETE", `/Users/${userId}`), /read-only/);
      const admin = await server.admin("/tenants", { method: "POST", body: JSON.stringify({ name: "While read-only" }) });
      expect(admin.status).toBe(503);
      expect(((await admin.json()) as { error: string }).error).toMatch(/read-only/);
      server.services.requestLog.writer.flush(); // fails, and keeps the entries
    } finally {
      db.exec("PRAGMA query_only = 0");
    }
    expect(userCount()).toBe(before);
    expect(await title()).toBe("before");
    server.services.requestLog.writer.flush();
    expect(await refusedMethods()).toEqual([...refusedBefore, "DELETE", "PATCH", "POST"].sort());
  });

  test("another process holds the write lock past the busy timeout: 503 with Retry-After, nothing changed", async () => {
    const db = server.services.db;
    const other = new Database(join(server.dataDir, DB_FILE));
    db.exec("PRAGMA busy_timeout = 50");
    other.exec("BEGIN IMMEDIATE");
    try {
      const res = await rename("while locked");
      expect(res.headers.get("retry-after")).toBe("1");
      await expectUnavailable(res, /busy with another process/);
    } finally {
      other.exec("ROLLBACK");
      other.close();
      db.exec("PRAGMA busy_timeout = 5000");
    }
    expect(await title()).toBe("before");
    expect((await rename("after the lock")).status).toBe(200);
  });

  // Found by the concurrency hunt: each operation of a /Bulk request under the held lock answered 500.
  test("another process holds the write lock: each /Bulk operation is 503 with the lock's detail, none 500, and only the first waits", async () => {
    const db = server.services.db;
    const other = new Database(join(server.dataDir, DB_FILE));
    const before = { users: userCount(), title: await title() };
    db.exec("PRAGMA busy_timeout = 50");
    other.exec("BEGIN IMMEDIATE");
    let res: Response;
    try {
      res = await scim("POST", "/Bulk", {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [
          { method: "POST", path: "/Users", bulkId: "a", data: { schemas: [USER], userName: "bulk-locked@example.com" } },
          { method: "PATCH", path: `/Users/${userId}`, data: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "bulk" }] } },
        ],
      });
    } finally {
      other.exec("ROLLBACK");
      other.close();
      db.exec("PRAGMA busy_timeout = 5000");
    }
    expect(res.status).toBe(200);
    const ops = ((await res.json()) as { Operations: { status: string; response: { status: string; detail: string } }[] }).Operations;
    expect(ops.map((o) => [o.status, o.response.status])).toEqual([["503", "503"], ["503", "503"]]);
    for (const o of ops) expect(o.response.detail).toMatch(/busy with another process/);
    // The second did not wait out the timeout again: a long request would take 5 s an operation.
    expect(ops.map((o) => o.response.detail.startsWith("not attempted: "))).toEqual([false, true]);
    expect({ users: userCount(), title: await title() }).toEqual(before);
  });
});
