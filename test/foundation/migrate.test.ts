import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, NewerDatabaseError, schemaVersion } from "../../src/db/migrate";
import { migrations } from "../../src/db/migrations";
import { openDatabase } from "../../src/db/open";

const latest = migrations.at(-1)!.version;

describe("migrations (design.md: numbered, one transaction each, newer refused)", () => {
  test("fresh database → latest version, with the tables", () => {
    const db = openDatabase(":memory:");
    expect(migrate(db)).toEqual({ from: 0, to: latest });
    expect(schemaVersion(db)).toBe(latest);
    const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["tenants", "users", "groups", "group_members", "tokens", "signing_keys"]));
  });

  test("re-running is a no-op", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    const before = db.query("SELECT count(*) AS n FROM sqlite_master").get();
    expect(migrate(db)).toEqual({ from: latest, to: latest });
    expect(db.query("SELECT count(*) AS n FROM sqlite_master").get()).toEqual(before);
  });

  test("a database from a newer scimd is refused with a clear message", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    db.exec(`PRAGMA user_version = ${latest + 1}`);
    expect(() => migrate(db)).toThrow(NewerDatabaseError);
    expect(() => migrate(db)).toThrow(/written by a newer scimd/);
  });

  test("a failing migration leaves nothing behind (one transaction each)", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    const broken = [...migrations, { version: latest + 1, name: "broken", sql: "CREATE TABLE half (x); SELECT * FROM missing_table;" }];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(latest);
    expect(db.query("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeNull();
  });

  test("the file is in WAL mode with foreign keys and a busy timeout", () => {
    const dir = mkdtempSync(join(tmpdir(), "scimd-db-"));
    const db = openDatabase(dir);
    expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(db.query("PRAGMA foreign_keys").get()).toEqual({ foreign_keys: 1 });
    expect((db.query("PRAGMA busy_timeout").get() as { timeout: number }).timeout).toBeGreaterThanOrEqual(5000);
  });

  test("strict binding: a misspelt named parameter throws instead of binding NULL", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    expect(() => db.query("SELECT * FROM tenants WHERE id = $id").all({ idd: "x" } as never)).toThrow();
  });
});
