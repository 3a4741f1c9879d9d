// Retention by age (SCIMD_LOG_RETENTION_DAYS) and by count per tenant (SCIMD_LOG_RETENTION_ROWS), 0 = no limit.
import { describe, expect, test } from "bun:test";
import { migrate } from "../../src/db/migrate";
import { openDatabase } from "../../src/db/open";
import { LogPruner } from "../../src/modules/log/prune";
import { LogStore, rowOf } from "../../src/modules/log/store";
import { LogWriter } from "../../src/modules/log/writer";
import { createHarness } from "../support/harness";
import { entries, settle, syntheticEntry, USER_SCHEMA } from "./support";

const DAY = 86_400_000;
const NOW = Date.UTC(2030, 5, 1);

function withEntries(times: number[]) {
  const db = openDatabase(":memory:");
  migrate(db);
  const tenant = crypto.randomUUID();
  db.query("INSERT INTO tenants (id, name, created) VALUES ($id, 'T', '2030-01-01T00:00:00Z')").run({ id: tenant });
  const writer = new LogWriter(new LogStore(db), { flushMs: 1000, batchSize: 100_000, maxBuffered: 1_000_000 });
  for (const time of times) writer.push(syntheticEntry(tenant, { time }));
  writer.flush();
  const times_ = () => (db.query("SELECT time FROM request_log ORDER BY id").all() as { time: number }[]).map((r) => r.time);
  return { db, times: times_ };
}

/** Tenants named by letter, and the entries to write for them as [tenant, time], in the order they are stored. */
function withTenantEntries(names: string[], stored: [string, number][]) {
  const db = openDatabase(":memory:");
  migrate(db);
  const ids = new Map(names.map((name) => [name, crypto.randomUUID()]));
  for (const [name, id] of ids) {
    db.query("INSERT INTO tenants (id, name, created) VALUES ($id, $name, '2030-01-01T00:00:00Z')").run({ id, name });
  }
  const writer = new LogWriter(new LogStore(db), { flushMs: 1000, batchSize: 100_000, maxBuffered: 1_000_000 });
  for (const [name, time] of stored) writer.push(syntheticEntry(ids.get(name)!, { time }));
  writer.flush();
  const times = (name: string) =>
    (db.query("SELECT time FROM request_log WHERE tenant_id = $t ORDER BY time").all({ t: ids.get(name)! }) as { time: number }[]).map((r) => r.time);
  return { db, times };
}

describe("LogPruner", () => {
  test("by age: rows older than the retention go, newer ones stay", async () => {
    const { db, times } = withEntries([NOW - 40 * DAY, NOW - 31 * DAY, NOW - 29 * DAY, NOW - DAY]);
    expect(await new LogPruner(db, { days: 30, rows: 0 }).prune(NOW)).toBe(2);
    expect(times()).toEqual([NOW - 29 * DAY, NOW - DAY]);
  });

  // Found by a review pass: "ids grow with time" is false. An entry's time is its request's start, its id is given
  // when it is stored: a slow request (a big /Bulk, a PATCH of a huge group) is stored after faster ones that
  // started later. Deleting below the id of the first recent entry deleted those faster, recent entries.
  test("by age: an entry stored after a slower, older-started one is kept while inside the retention", async () => {
    const since = NOW - 30 * DAY;
    // In the order the requests finished (and were stored):
    const { db, times } = withEntries([since - 60_000, since + 5_000, since + 6_000, since + 1_000, NOW - DAY]);
    expect(await new LogPruner(db, { days: 30, rows: 0 }).prune(NOW)).toBe(1);
    expect(times()).toEqual([since + 5_000, since + 6_000, since + 1_000, NOW - DAY]);
    // ...and one started just before the cutoff but stored last goes, though entries before it stay.
    const late = withEntries([since + 5_000, since - 1]);
    expect(await new LogPruner(late.db, { days: 30, rows: 0 }).prune(NOW)).toBe(1);
    expect(late.times()).toEqual([since + 5_000]);
  });

  // Newest by request time (the order the log lists entries in), not by the order they were stored in.
  test("by count: the newest rows are kept", async () => {
    const { db, times } = withEntries([1, 2, 3, 4, 5].map((d) => NOW - d * 1000));
    expect(await new LogPruner(db, { days: 0, rows: 2 }).prune(NOW)).toBe(3);
    expect(times()).toEqual([NOW - 1000, NOW - 2000]);
  });

  // Found by a review pass: the count limit was one budget for the whole log, oldest first, so one tenant's traffic
  // (even 401s at its own URL, which are logged) deleted every other tenant's entries.
  test("by count: each tenant keeps its own newest rows, however much the others log", async () => {
    const quiet = [1, 2, 3].map((d): [string, number] => ["B", NOW - 100_000 - d]);
    const noisy = Array.from({ length: 50 }, (_, i): [string, number] => ["A", NOW - 50_000 + i]);
    const { db, times } = withTenantEntries(["A", "B", "C"], [...quiet, ...noisy, ["C", NOW - 200_000]]);
    expect(await new LogPruner(db, { days: 0, rows: 2 }).prune(NOW)).toBe(48 + 1);
    expect(times("A")).toEqual([NOW - 50_000 + 48, NOW - 50_000 + 49]);
    expect(times("B")).toEqual([NOW - 100_002, NOW - 100_001]);
    expect(times("C")).toEqual([NOW - 200_000]);
  });

  test("by count: a tenant's newest are by request time, ties broken by id, as the log lists them", async () => {
    // Stored in this order: a slow request that started first is stored last.
    const { db, times } = withTenantEntries(["A"], [["A", NOW - 10], ["A", NOW - 5], ["A", NOW - 5], ["A", NOW - 30]]);
    const ids = () => (db.query("SELECT id FROM request_log ORDER BY id").all() as { id: number }[]).map((r) => r.id);
    expect(await new LogPruner(db, { days: 0, rows: 2 }).prune(NOW)).toBe(2);
    expect(times("A")).toEqual([NOW - 5, NOW - 5]);
    expect(ids()).toEqual([2, 3]);
    expect(await new LogPruner(db, { days: 0, rows: 1 }).prune(NOW)).toBe(1);
    expect(ids()).toEqual([3]);
  });

  test("by count, per tenant, in chunks larger than one statement's", async () => {
    const many = (name: string, n: number) => Array.from({ length: n }, (_, i): [string, number] => [name, NOW - n + i]);
    const { db, times } = withTenantEntries(["A", "B"], [...many("A", 12_000), ...many("B", 6_000)]);
    expect(await new LogPruner(db, { days: 0, rows: 5_500 }).prune(NOW)).toBe(6_500 + 500);
    expect(times("A")).toHaveLength(5_500);
    expect(times("A")[0]).toBe(NOW - 5_500);
    expect(times("B")).toHaveLength(5_500);
    expect(times("B")[0]).toBe(NOW - 5_500);
  });

  // The walk to a tenant's first entry past the limit goes 50,000 index entries at a time.
  test("by count, per tenant, across a step of the walk to the limit", async () => {
    const many = (name: string, n: number) => Array.from({ length: n }, (_, i): [string, number] => [name, NOW - n + i]);
    const { db, times } = withTenantEntries(["A", "B"], [...many("A", 50_003), ...many("B", 10)]);
    expect(await new LogPruner(db, { days: 0, rows: 50_001 }).prune(NOW)).toBe(2);
    expect(times("A")[0]).toBe(NOW - 50_001);
    expect(await new LogPruner(db, { days: 0, rows: 50_000 }).prune(NOW)).toBe(1);
    expect(times("A")[0]).toBe(NOW - 50_000);
    expect(times("B")).toHaveLength(10);
  });

  test("both limits, in chunks larger than one statement's", async () => {
    const old = Array.from({ length: 12_000 }, (_, i) => NOW - 60 * DAY + i);
    const recent = Array.from({ length: 7_000 }, (_, i) => NOW - DAY + i);
    const { db, times } = withEntries([...old, ...recent]);
    expect(await new LogPruner(db, { days: 30, rows: 5_000 }).prune(NOW)).toBe(14_000);
    const left = times();
    expect(left).toHaveLength(5_000);
    expect(left[0]).toBe(NOW - DAY + 2_000);
  });

  test("everything old: the table empties", async () => {
    const { db, times } = withEntries([NOW - 90 * DAY, NOW - 80 * DAY]);
    await new LogPruner(db, { days: 30, rows: 0 }).prune(NOW);
    expect(times()).toEqual([]);
  });

  test("after retention empties the log, the next entry's id is above every id given before", async () => {
    const { db, times } = withEntries([NOW - 90 * DAY, NOW - 80 * DAY, NOW - 70 * DAY]);
    await new LogPruner(db, { days: 30, rows: 0 }).prune(NOW);
    expect(times()).toEqual([]);
    const tenant = (db.query("SELECT id FROM tenants").get() as { id: string }).id;
    const [next] = new LogStore(db).insertRows([rowOf(syntheticEntry(tenant, { time: NOW }))]);
    expect(next!.id).toBe(4);
  });

  test("0 turns a limit off; an empty log is fine", async () => {
    const { db, times } = withEntries([NOW - 3650 * DAY, NOW]);
    expect(await new LogPruner(db, { days: 0, rows: 0 }).prune(NOW)).toBe(0);
    expect(times()).toHaveLength(2);
    const empty = withEntries([]);
    expect(await new LogPruner(empty.db, { days: 1, rows: 1 }).prune(NOW)).toBe(0);
  });
});

describe("retention by count through the real router", () => {
  test("tenant A's 150 requests with a bogus token leave B's entries alone; each tenant is cut to its own limit", async () => {
    // Every refusal logged (no SCIMD_LOG_REFUSALS budget: refusal-budget.test.ts), so A's log outgrows its limit.
    const h = await createHarness({ SCIMD_LOG_RETENTION_ROWS: "100", SCIMD_RATE_LIMIT: "0", SCIMD_LOG_REFUSALS: "0" });
    const [a, b] = [await h.newTenant("A"), await h.newTenant("B")];
    for (let i = 0; i < 110; i++) {
      const res = await h.request("POST", `${b.url}/Users`, { token: b.token, body: { schemas: [USER_SCHEMA], userName: `b${i}` } });
      expect(res.status).toBe(201);
    }
    for (let i = 0; i < 150; i++) expect((await h.request("GET", `${a.url}/Users`, { token: "bogus" })).status).toBe(401);
    await settle(h.services);
    expect(await h.services.requestLog.pruner.prune()).toBe(50 + 10);
    const logOf = (tenant: string) => entries(h, `?tenant=${tenant}&limit=1000`);
    const [aLog, bLog] = [await logOf(a.id), await logOf(b.id)];
    expect(aLog).toHaveLength(100);
    expect(aLog.every((e) => e.status === 401)).toBe(true);
    expect(bLog).toHaveLength(100);
    // B keeps its newest: the users b10..b109.
    expect(bLog.map((e) => e.resourceName).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `b${i + 10}`).sort());
  });
});
