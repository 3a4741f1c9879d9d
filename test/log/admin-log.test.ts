// Issue 5 part 2: GET /admin/v1/log with filters and paging, GET /admin/v1/log/stats per hour and day.
import { beforeAll, describe, expect, test } from "bun:test";
import type { LogEntry } from "../../src/modules/log/model";
import { createHarness, TEST_ADMIN_TOKEN, type Harness, type TestTenant } from "../support/harness";
import { entries, settle, syntheticEntry, USER_SCHEMA } from "./support";

let h: Harness;
let a: TestTenant;
let b: TestTenant;
const HOUR = 3_600_000;
// A fixed day, so buckets are predictable: 2030-01-01T00:00:00Z.
const DAY0 = Date.UTC(2030, 0, 1);

beforeAll(async () => {
  h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
  a = await h.newTenant("A");
  b = await h.newTenant("B");
  const w = h.services.requestLog.writer;
  // A: 3 successes and 1 failure in hour 0, 2 failures in hour 2; a second day with one success. B: one entry.
  w.push(syntheticEntry(a.id, { time: DAY0 + 60_000, operation: "create", resourceId: "u1", resourceName: "Alice@x", status: 201 }));
  w.push(syntheticEntry(a.id, { time: DAY0 + 120_000, operation: "lookup", resourceName: "alice@x" }));
  w.push(syntheticEntry(a.id, { time: DAY0 + 180_000, operation: "disable", resourceId: "u1", status: 200 }));
  w.push(syntheticEntry(a.id, { time: DAY0 + 240_000, operation: "create", resourceName: "bob@x", status: 409, scimType: "uniqueness" }));
  w.push(syntheticEntry(a.id, { time: DAY0 + 2 * HOUR + 1, operation: "update", resourceId: "u2", status: 500 }));
  w.push(syntheticEntry(a.id, { time: DAY0 + 2 * HOUR + 2, operation: "update", resourceId: "u2", status: 503 }));
  w.push(syntheticEntry(a.id, { time: DAY0 + 30 * HOUR, operation: "test_connection", status: 200 }));
  w.push(syntheticEntry(b.id, { time: DAY0 + 60_000, operation: "create", resourceId: "u1", status: 201 }));
  await settle(h.services);
});

const ops = (list: LogEntry[]) => list.map((e) => e.operation);

describe("GET /admin/v1/log", () => {
  test("newest first, per tenant", async () => {
    const list = await entries(h, `?tenant=${a.id}`);
    expect(list).toHaveLength(7);
    expect(list.map((e) => Date.parse(e.time))).toEqual([...list.map((e) => Date.parse(e.time))].sort((x, y) => y - x));
    expect(list.every((e) => e.tenantId === a.id)).toBe(true);
  });

  test("all tenants when no tenant is given", async () => {
    expect((await entries(h, `?to=${new Date(DAY0 + 48 * HOUR).toISOString()}`)).length).toBe(8);
  });

  // Found by a review: `tenant=` listed every tenant here and in /stats, while the live tail replayed every
  // tenant's missed entries and then matched none. One answer for all three: 400.
  test.each(["/log?tenant=", "/log/stats?tenant=", "/log/stream?tenant="])("%s → 400 admin error", async (path) => {
    const res = await h.admin("GET", path);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; status: number };
    expect(body).toEqual({ error: expect.stringContaining("tenant"), status: 400 });
  });

  test("time range: from inclusive, to exclusive", async () => {
    const from = new Date(DAY0 + 120_000).toISOString();
    const to = new Date(DAY0 + 2 * HOUR + 2).toISOString();
    expect(ops(await entries(h, `?tenant=${a.id}&from=${from}&to=${to}`))).toEqual(["update", "create", "disable", "lookup"]);
  });

  test("outcome: failure is status 400 or above", async () => {
    const failures = await entries(h, `?tenant=${a.id}&outcome=failure`);
    expect(failures.map((e) => e.status).sort()).toEqual([409, 500, 503]);
    expect((await entries(h, `?tenant=${a.id}&outcome=success`)).every((e) => e.status < 400)).toBe(true);
  });

  test("operation", async () => {
    expect(ops(await entries(h, `?tenant=${a.id}&operation=create`))).toEqual(["create", "create"]);
    expect(ops(await entries(h, `?operation=test_connection`))).toEqual(["test_connection"]);
  });

  test("resource: by id, or by name case-insensitively", async () => {
    expect(ops(await entries(h, `?tenant=${a.id}&resource=u1`))).toEqual(["disable", "create"]);
    expect(ops(await entries(h, `?tenant=${a.id}&resource=ALICE@X`))).toEqual(["lookup", "create"]);
  });

  // Found by a review pass: COLLATE NOCASE ignored case for ASCII only, while names are case-insensitive in every
  // script (README), as the SCIM filter on userName is.
  test("resource: a name is found in any case, also beyond ASCII (Σ, σ and ς are one letter)", async () => {
    const t = await h.newTenant("unicode names");
    for (const userName of ["Émile.Zola@example.fr", "ΟΔΥΣΣΕΑΣ@example.gr"]) {
      const res = await h.request("POST", `${t.url}/Users`, { token: t.token, body: { schemas: [USER_SCHEMA], userName } });
      expect(res.status).toBe(201);
    }
    const created = async (name: string) =>
      (await entries(h, `?tenant=${t.id}&operation=create&resource=${encodeURIComponent(name)}`)).map((e) => e.resourceName);
    expect(await created("ÉMILE.zola@EXAMPLE.fr")).toEqual(["Émile.Zola@example.fr"]);
    expect(await created("émile.zola@example.fr")).toEqual(["Émile.Zola@example.fr"]);
    expect(await created("οδυσσεας@example.gr")).toEqual(["ΟΔΥΣΣΕΑΣ@example.gr"]);
    expect(await created("Οδυσσεασ@EXAMPLE.gr")).toEqual(["ΟΔΥΣΣΕΑΣ@example.gr"]);
    expect(await created("emile.zola@example.fr")).toEqual([]); // a different letter, not another case of it
  });

  test("paging: `nextCursor` pages back, null at the end", async () => {
    const seen: number[] = [];
    let path = `/log?tenant=${a.id}&limit=3`;
    for (;;) {
      const page = (await (await h.admin("GET", path)).json()) as { entries: LogEntry[]; nextCursor: string | null };
      seen.push(...page.entries.map((e) => e.id));
      if (page.nextCursor === null) break;
      path = `/log?tenant=${a.id}&limit=3&cursor=${page.nextCursor}`;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual((await entries(h, `?tenant=${a.id}`)).map((e) => e.id));
  });

  test("entries with the same millisecond are neither skipped nor repeated across pages", async () => {
    const c = await h.newTenant("same-ms");
    for (let i = 0; i < 5; i++) h.services.requestLog.writer.push(syntheticEntry(c.id, { time: DAY0 - 10 * 24 * HOUR }));
    await settle(h.services);
    const first = (await (await h.admin("GET", `/log?tenant=${c.id}&limit=2`)).json()) as { entries: LogEntry[]; nextCursor: string };
    const rest = await entries(h, `?tenant=${c.id}&limit=10&cursor=${first.nextCursor}`);
    expect([...first.entries, ...rest].map((e) => e.id)).toEqual((await entries(h, `?tenant=${c.id}`)).map((e) => e.id));
    expect(rest).toHaveLength(3);
  });

  test("since-id: `after` gives newer entries, oldest first", async () => {
    const all = await entries(h, `?tenant=${a.id}`);
    const oldest = all.at(-1)!.id;
    const newer = await entries(h, `?tenant=${a.id}&after=${oldest}`);
    expect(newer.map((e) => e.id)).toEqual(all.slice(0, -1).map((e) => e.id).reverse());
  });

  // Found by a review pass: the deleted tenant's ids were given again, at or below the `maxId` a poller saw.
  test("since-id: polling after the tenant with the newest entries was deleted sees the next entry", async () => {
    const kept = await h.newTenant("kept");
    const gone = await h.newTenant("gone");
    await h.request("GET", `${kept.url}/Users`, { token: kept.token });
    await h.request("GET", `${gone.url}/Users`, { token: gone.token });
    await settle(h.services);
    const { maxId } = (await (await h.admin("GET", "/log")).json()) as { maxId: number };
    expect((await h.admin("DELETE", `/tenants/${gone.id}`)).status).toBe(204);
    const next = await h.request("GET", `${kept.url}/Users`, { token: kept.token });
    const polled = await entries(h, `?after=${maxId}`);
    expect(polled.map((e) => e.requestId)).toEqual([next.headers.get("x-request-id")!]);
  });

  test("bad parameters → 400; no admin token → 401", async () => {
    expect((await h.admin("GET", "/log?outcome=maybe")).status).toBe(400);
    expect((await h.admin("GET", "/log?limit=0")).status).toBe(400);
    expect((await h.admin("GET", "/log?cursor=abc")).status).toBe(400);
    expect((await h.request("GET", "/admin/v1/log")).status).toBe(401);
    expect((await h.request("GET", "/admin/v1/log", { token: a.token })).status).toBe(401);
  });

  test("one entry by id; 404 for one that does not exist", async () => {
    const [first] = await entries(h, `?tenant=${b.id}`);
    const res = await h.admin("GET", `/log/${first!.id}`);
    expect(await res.json()).toMatchObject({ id: first!.id, tenantId: b.id, requestBody: null });
    expect((await h.admin("GET", "/log/999999")).status).toBe(404);
  });
});

describe("GET /admin/v1/log/stats", () => {
  const stats = async (query: string) => {
    const res = await h.request("GET", `/admin/v1/log/stats${query}`, { token: TEST_ADMIN_TOKEN });
    expect(res.status).toBe(200);
    return (await res.json()) as { bucket: string; buckets: { start: string; successes: number; failures: number }[] };
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  test("per hour: successes and failures, empty hours included", async () => {
    const s = await stats(`?tenant=${a.id}&bucket=hour&from=${iso(DAY0)}&to=${iso(DAY0 + 3 * HOUR)}`);
    expect(s).toEqual({
      bucket: "hour",
      buckets: [
        { start: iso(DAY0), successes: 3, failures: 1 },
        { start: iso(DAY0 + HOUR), successes: 0, failures: 0 },
        { start: iso(DAY0 + 2 * HOUR), successes: 0, failures: 2 },
      ],
    });
  });

  test("per day, all tenants", async () => {
    const s = await stats(`?bucket=day&from=${iso(DAY0)}&to=${iso(DAY0 + 48 * HOUR)}`);
    expect(s.buckets).toEqual([
      { start: iso(DAY0), successes: 4, failures: 3 },
      { start: iso(DAY0 + 24 * HOUR), successes: 1, failures: 0 },
    ]);
  });

  test("`from` is rounded down to its bucket; from ≥ to and huge ranges → 400", async () => {
    const s = await stats(`?tenant=${a.id}&bucket=day&from=${iso(DAY0 + 5 * HOUR)}&to=${iso(DAY0 + 24 * HOUR)}`);
    expect(s.buckets).toEqual([{ start: iso(DAY0), successes: 3, failures: 3 }]);
    expect((await h.admin("GET", `/log/stats?from=${iso(DAY0)}&to=${iso(DAY0)}`)).status).toBe(400);
    expect((await h.admin("GET", `/log/stats?bucket=hour&from=${iso(0)}&to=${iso(DAY0)}`)).status).toBe(400);
  });

  test("defaults: the last 24 hours by hour", async () => {
    const s = await stats("");
    expect(s.bucket).toBe("hour");
    expect(s.buckets.length).toBeGreaterThanOrEqual(24);
    expect(s.buckets.length).toBeLessThanOrEqual(25);
  });
});
