// inOneRead / inOneWrite (src/db/transactions.ts) on a real WAL database file, with a second connection
// standing in for the CLI.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open";
import { inOneRead, inOneWrite } from "../../src/db/transactions";

let dir: string;
let db: Database;
let other: Database;
const count = (d: Database = db) => (d.query("SELECT count(*) AS n FROM t").get() as { n: number }).n;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "scimd-tx-"));
  db = openDatabase(dir);
  db.exec("CREATE TABLE t (v TEXT NOT NULL)");
  other = new Database(join(dir, "scimd.sqlite"));
  other.exec("PRAGMA busy_timeout = 5000");
});

afterAll(() => {
  other.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test("inOneRead: every read sees one snapshot, even when another connection commits in between", () => {
  const before = count();
  const [first, second] = inOneRead(db, () => {
    const a = count();
    other.query("INSERT INTO t (v) VALUES ('from the CLI')").run();
    return [a, count()];
  });
  expect(first).toBe(before);
  expect(second).toBe(before);
  expect(count()).toBe(before + 1);
  expect(db.inTransaction).toBe(false);
});

test("inOneWrite: a throw rolls back everything it wrote", () => {
  const before = count();
  expect(() =>
    inOneWrite(db, () => {
      db.query("INSERT INTO t (v) VALUES ('x')").run();
      throw new Error("boom");
    }),
  ).toThrow("boom");
  expect(count()).toBe(before);
  expect(db.inTransaction).toBe(false);
});

test("inOneWrite inside a transaction: its failure undoes its own writes only", () => {
  const before = count();
  inOneWrite(db, () => {
    db.query("INSERT INTO t (v) VALUES ('outer')").run();
    expect(() =>
      inOneWrite(db, () => {
        db.query("INSERT INTO t (v) VALUES ('inner')").run();
        throw new Error("inner fails");
      }),
    ).toThrow("inner fails");
    inOneWrite(db, () => db.query("INSERT INTO t (v) VALUES ('inner kept')").run());
  });
  const values = (db.query("SELECT v FROM t").all() as { v: string }[]).map((r) => r.v);
  expect(count()).toBe(before + 2);
  expect(values).toContain("outer");
  expect(values).toContain("inner kept");
  expect(values).not.toContain("inner");
});

test("inOneWrite holds the write lock from its start: another writer waits for it", () => {
  const blocked = new Database(join(dir, "scimd.sqlite"));
  blocked.exec("PRAGMA busy_timeout = 0");
  try {
    inOneWrite(db, () => {
      // No write has happened yet inside, and still the other connection cannot write.
      expect(() => blocked.query("INSERT INTO t (v) VALUES ('too early')").run()).toThrow(/locked|busy/i);
    });
    blocked.query("INSERT INTO t (v) VALUES ('after')").run();
  } finally {
    blocked.close();
  }
});
