// Retention by age (SCIMD_LOG_RETENTION_DAYS) and by count (SCIMD_LOG_RETENTION_ROWS), 0 = no limit.
import { describe, expect, test } from "bun:test";
import { migrate } from "../../src/db/migrate";
import { openDatabase } from "../../src/db/open";
import { LogPruner } from "../../src/modules/log/prune";
import { LogStore, rowOf } from "../../src/modules/log/store";
import { LogWriter } from "../../src/modules/log/writer";
import { syntheticEntry } from "./support";

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

  test("by count: the newest rows are kept", async () => {
    const { db, times } = withEntries([1, 2, 3, 4, 5].map((d) => NOW - d * 1000));
    expect(await new LogPruner(db, { days: 0, rows: 2 }).prune(NOW)).toBe(3);
    expect(times()).toEqual([NOW - 4000, NOW - 5000]);
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
