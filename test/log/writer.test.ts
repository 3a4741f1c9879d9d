// The request path only pushes to memory; entries reach the database in batches, one transaction each,
// and none is lost: not on a failed write, not at shutdown.
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../src/db/migrate";
import { openDatabase } from "../../src/db/open";
import type { StoredEntry } from "../../src/modules/log/entry";
import { LogStore } from "../../src/modules/log/store";
import { LogWriter } from "../../src/modules/log/writer";
import { syntheticEntry } from "./support";

function setUp(dir: string | ":memory:" = ":memory:") {
  const db = openDatabase(dir);
  migrate(db);
  const tenant = crypto.randomUUID();
  db.query("INSERT INTO tenants (id, name, created) VALUES ($id, 'T', '2030-01-01T00:00:00Z')").run({ id: tenant });
  const writer = new LogWriter(new LogStore(db), { flushMs: 40, batchSize: 10, maxBuffered: 1000 });
  const batches: StoredEntry[][] = [];
  writer.onStored((stored) => batches.push(stored));
  const count = () => (db.query("SELECT count(*) AS n FROM request_log").get() as { n: number }).n;
  return { db, tenant, writer, batches, count };
}

describe("LogWriter", () => {
  test("fewer than a batch wait for the timer, then go in one batch", async () => {
    const { tenant, writer, batches, count } = setUp();
    for (let i = 0; i < 3; i++) writer.push(syntheticEntry(tenant));
    expect(count()).toBe(0);
    expect(writer.buffered).toBe(3);
    await Bun.sleep(80);
    expect(count()).toBe(3);
    expect(batches.map((b) => b.length)).toEqual([3]);
  });

  test("a full batch is written at once, in one transaction, with ids in arrival order", () => {
    const { tenant, writer, batches, count } = setUp();
    for (let i = 0; i < 25; i++) writer.push(syntheticEntry(tenant, { requestId: `r${i}` }));
    expect(count()).toBe(20);
    expect(batches.map((b) => b.length)).toEqual([10, 10]);
    const ids = batches.flat().map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(batches.flat().map((e) => e.requestId).slice(0, 3)).toEqual(["r0", "r1", "r2"]);
    writer.flush();
    expect(count()).toBe(25);
  });

  test("a large batch, written many rows per INSERT, gives each entry the id of its own row", () => {
    const { db, tenant, writer, batches } = setUp();
    const big = new LogWriter(new LogStore(db), { flushMs: 1000, batchSize: 1000, maxBuffered: 1000 });
    big.onStored((stored) => batches.push(stored));
    // 136 stored rows (two full multi-row INSERTs and 36 single ones), strangers' entries in between.
    for (let i = 0; i < 150; i++) big.push(syntheticEntry(i % 11 === 5 ? "no-such-tenant" : tenant, { requestId: `r${i}` }));
    expect(big.flush()).toBe(136);
    expect(big.unattributed).toBe(14);
    const rows = db.query("SELECT id, request_id AS requestId FROM request_log ORDER BY id").all() as { id: number; requestId: string }[];
    expect(batches.flat().map((e) => ({ id: e.id, requestId: e.requestId }))).toEqual(rows);
    expect(rows.map((r) => r.requestId).slice(0, 6)).toEqual(["r0", "r1", "r2", "r3", "r4", "r6"]);
  });

  // Found by a review pass: without AUTOINCREMENT, SQLite gave max(id) + 1 again once the newest rows were gone.
  test("ids are never given twice, and the rows of each multi-row INSERT still take consecutive ids", () => {
    const { db, tenant, batches } = setUp();
    const big = new LogWriter(new LogStore(db), { flushMs: 1000, batchSize: 1000, maxBuffered: 1000 });
    big.onStored((stored) => batches.push(stored));
    // 120 rows: two 50-row INSERTs and 20 single ones.
    const write = (prefix: string) => {
      for (let i = 0; i < 120; i++) big.push(syntheticEntry(tenant, { requestId: `${prefix}${i}` }));
      big.flush();
      return batches.pop()!.map((e) => ({ id: e.id, requestId: e.requestId }));
    };
    const first = write("a");
    expect(first.map((e) => e.id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    db.exec("DELETE FROM request_log WHERE id > 50"); // the newest go: their tenant deleted, or retention
    const second = write("b");
    expect(second.map((e) => e.id)).toEqual(Array.from({ length: 120 }, (_, i) => 121 + i));
    const rows = db.query("SELECT id, request_id AS requestId FROM request_log WHERE id > 50 ORDER BY id").all();
    expect(second).toEqual(rows as typeof second);
  });

  test("an entry waits as the text of its row: what it was when pushed is what is written, every value intact", () => {
    const { db, tenant, writer, batches } = setUp();
    const entry = syntheticEntry(tenant, {
      requestId: "kept",
      resourceName: 'Zoë "Ω" \\ \ud83d\ude00 \ud800 line\nbreak',
      durationMs: 0.1 + 0.2,
      time: 1_700_000_000_123,
      scimType: null,
    });
    writer.push(entry);
    entry.requestId = "changed after the push";
    entry.resourceName = null;
    expect(writer.flush()).toBe(1);
    const row = db.query("SELECT request_id AS requestId, resource_name AS resourceName, duration_ms AS durationMs, time, scim_type AS scimType FROM request_log").get();
    const expected = { requestId: "kept", resourceName: 'Zoë "Ω" \\ \ud83d\ude00 \ud800 line\nbreak', durationMs: 0.1 + 0.2, time: 1_700_000_000_123, scimType: null };
    // Listeners get the entry as pushed; SQLite stores UTF-8, where a lone surrogate becomes U+FFFD.
    expect(batches[0]?.[0]).toMatchObject(expected);
    expect(row).toEqual({ ...expected, resourceName: expected.resourceName.replace("\ud800", "\ufffd") });
  });

  test("every field goes through the text to its own column and back to listeners (no two swapped)", () => {
    const { db, tenant, writer, batches } = setUp();
    // A distinct value in every field: a column order that differs between the row, the INSERT and the
    // entry rebuilt for listeners puts some value in the wrong place.
    const entry = syntheticEntry(tenant, {
      time: 1_700_000_000_001, requestId: "req", method: "PATCH", path: "/scim/v2/t/Users/u", operation: "disable",
      resourceType: "User", resourceId: "u", resourceName: "name", status: 409, scimType: "uniqueness", detail: "detail",
      durationMs: 12.345, clientIp: "203.0.113.7", userAgent: "agent", requestHeaders: "{\"h\":1}", requestBody: "{\"q\":2}",
      responseBody: "{\"r\":3}",
    });
    writer.push(entry);
    expect(writer.flush()).toBe(1);
    const listened = batches[0]?.[0];
    expect(listened).toEqual({ ...entry, id: listened?.id as number });
    expect(new LogStore(db).get(listened?.id as number)).toEqual({ ...entry, id: listened?.id as number });
  });

  test("entries of tenant ids that do not exist are dropped and counted", () => {
    const { tenant, writer, count } = setUp();
    writer.push(syntheticEntry(tenant));
    writer.push(syntheticEntry("no-such-tenant"));
    writer.flush();
    expect(count()).toBe(1);
    expect(writer.unattributed).toBe(1);
  });

  test("a write that fails (database locked) keeps the entries and retries", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scimd-writer-"));
    const { db, tenant, writer, count } = setUp(dir);
    db.exec("PRAGMA busy_timeout = 0");
    const other = new Database(join(dir, "scimd.sqlite"));
    other.exec("BEGIN IMMEDIATE");
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      for (let i = 0; i < 4; i++) writer.push(syntheticEntry(tenant));
      expect(writer.flush()).toBe(0);
      expect(writer.buffered).toBe(4);
      expect(errors.length).toBe(1);
    } finally {
      console.error = original;
      other.exec("COMMIT");
      other.close();
    }
    writer.push(syntheticEntry(tenant));
    expect(writer.flush()).toBe(5);
    expect(count()).toBe(5);
    expect(writer.lost).toBe(0);
  });

  test("settle waits for begun requests until their entry is done; close writes them and refuses new ones", async () => {
    const { tenant, writer, count } = setUp();
    writer.begin();
    setTimeout(() => {
      writer.push(syntheticEntry(tenant));
      writer.done();
    }, 30);
    writer.push(syntheticEntry(tenant));
    await writer.close();
    expect(count()).toBe(2);
    writer.push(syntheticEntry(tenant));
    writer.flush();
    expect(count()).toBe(2);
    expect(writer.lost).toBe(1);
  });

  test("a request whose entry never comes delays settle only by the grace period", async () => {
    const { writer } = setUp();
    writer.begin();
    const started = Date.now();
    await writer.settle(50);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
