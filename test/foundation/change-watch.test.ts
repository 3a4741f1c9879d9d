// Caches of token status and tenant settings hold while the database has not changed. The change counter
// is PRAGMA data_version, skipped while the wal-index header in the -shm file shows no commit since it was
// last read. Both must see every commit of another connection (the CLI revoking a token).
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChangeWatch, changesOf } from "../../src/db/change-watch";
import { inOneWrite } from "../../src/db/transactions";
import { openDatabase } from "../../src/db/open";
import { WalIndexProbe } from "../../src/db/wal-index";

function twoConnections() {
  const dir = mkdtempSync(join(tmpdir(), "scimd-watch-"));
  const ours = openDatabase(dir);
  ours.exec("CREATE TABLE t (x INTEGER)");
  const theirs = new Database(join(dir, "scimd.sqlite"));
  return { ours, theirs };
}

const nextRun = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("WalIndexProbe", () => {
  test("moves with every commit, of this connection or another, and not otherwise", () => {
    const { ours, theirs } = twoConnections();
    const probe = WalIndexProbe.open(ours);
    expect(probe).toBeDefined();
    const seen = [probe?.read()];
    ours.query("SELECT count(*) FROM t").get();
    expect(probe?.read()).toBe(seen[0]);
    theirs.exec("INSERT INTO t VALUES (1)");
    seen.push(probe?.read());
    ours.exec("INSERT INTO t VALUES (2)");
    seen.push(probe?.read());
    // A checkpoint that empties the WAL, then a commit that starts it again from its first frame.
    theirs.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    theirs.exec("INSERT INTO t VALUES (3)");
    seen.push(probe?.read());
    expect(seen.every((s) => typeof s === "string")).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
  });

  test("an in-memory database has none", () => {
    expect(WalIndexProbe.open(openDatabase(":memory:"))).toBeUndefined();
  });
});

describe("ChangeWatch", () => {
  test("the epoch holds while nothing is committed and moves on another connection's commit", async () => {
    const { ours, theirs } = twoConnections();
    const watch = new ChangeWatch(ours);
    const first = watch.epoch();
    await nextRun();
    expect(watch.epoch()).toBe(first);
    theirs.exec("INSERT INTO t VALUES (1)");
    await nextRun();
    const second = watch.epoch();
    expect(second).not.toBe(first);
    await nextRun();
    expect(watch.epoch()).toBe(second);
  });

  test("this connection's own commits leave the epoch alone (data_version ignores them); bump() moves it", async () => {
    const { ours } = twoConnections();
    const watch = new ChangeWatch(ours);
    const first = watch.epoch();
    ours.exec("INSERT INTO t VALUES (1)");
    await nextRun();
    expect(watch.epoch()).toBe(first);
    watch.bump();
    expect(watch.epoch()).not.toBe(first);
  });

  test("many commits of another connection, each seen by the next look", async () => {
    const { ours, theirs } = twoConnections();
    const watch = new ChangeWatch(ours);
    const epochs = new Set([watch.epoch()]);
    for (let i = 0; i < 50; i++) {
      if (i % 10 === 0) ours.exec("INSERT INTO t VALUES (0)"); // own commits in between move the wal-index too
      theirs.exec(`INSERT INTO t VALUES (${i})`);
      await nextRun();
      epochs.add(watch.epoch());
    }
    expect(epochs.size).toBe(51);
  });
});

describe("ChangeWatch and this connection's own write transactions", () => {
  test("writes through inOneWrite do not hide a later commit of another connection", async () => {
    const { ours, theirs } = twoConnections();
    const watch = changesOf(ours);
    const epochs = new Set([watch.epoch()]);
    for (let i = 0; i < 20; i++) {
      inOneWrite(ours, () => ours.query("INSERT INTO t VALUES (1)").run());
      await nextRun();
      expect(epochs.has(watch.epoch())).toBe(true);
      theirs.exec("INSERT INTO t VALUES (2)");
      await nextRun();
      const next = watch.epoch();
      expect(epochs.has(next)).toBe(false);
      epochs.add(next);
    }
  });

  test("a commit of another connection just before or just after one of ours is not taken for ours", async () => {
    const { ours, theirs } = twoConnections();
    const watch = new ChangeWatch(ours);
    const first = watch.epoch();
    // Just after: between our COMMIT and the look at the wal-index that follows it.
    let before = watch.writeBegins();
    ours.exec("INSERT INTO t VALUES (1)");
    theirs.exec("INSERT INTO t VALUES (2)");
    watch.committed(before);
    await nextRun();
    const second = watch.epoch();
    expect(second).not.toBe(first);
    // Just before: between the last look and our write transaction.
    theirs.exec("INSERT INTO t VALUES (3)");
    before = watch.writeBegins();
    ours.exec("INSERT INTO t VALUES (4)");
    watch.committed(before);
    await nextRun();
    expect(watch.epoch()).not.toBe(second);
  });
});
