import { describe, expect, spyOn, test } from "bun:test";
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

  test("migration 6: name keys written by lower-casing become case-folded; names that now fold alike are both kept", () => {
    const db = openDatabase(":memory:");
    migrate(db, migrations.filter((m) => m.version <= 5));
    db.exec("INSERT INTO tenants (id, name, created) VALUES ('t1', 'One', 'now'), ('t2', 'Two', 'now')");
    // Keys as scimd wrote them before: JavaScript's toLowerCase, whose Σ before a non-letter is a final ς.
    const user = db.query(
      "INSERT INTO users (tenant_id, id, user_name, user_name_key, data, created, last_modified) VALUES (?1, ?2, ?3, ?4, '{}', 'now', 'now')",
    );
    const rows: [string, string, string][] = [
      ["t1", "u1", "ΟΔΟΣ@example.gr"],
      ["t1", "u2", "Alice@Example.com"],
      ["t1", "u3", "ασ@example.gr"], // already folded: it keeps its key,
      ["t1", "u4", "ΑΣ@example.gr"], // so this one, which folds to the same key, keeps its old one.
      ["t2", "u5", "ΑΣ@example.gr"], // another tenant: no clash.
    ];
    for (const [tenant, id, name] of rows) user.run(tenant, id, name, name.toLowerCase());
    db.query(
      "INSERT INTO groups (tenant_id, id, display_name, display_name_key, data, created, last_modified) VALUES ('t1', 'g1', 'ΟΜΑΔΕΣ', ?1, '{}', 'now', 'now')",
    ).run("ΟΜΑΔΕΣ".toLowerCase());
    const warn = spyOn(console, "warn").mockImplementation(() => {});
    let warnings: unknown[][];
    try {
      expect(migrate(db)).toEqual({ from: 5, to: latest });
      warnings = [...warn.mock.calls];
    } finally {
      warn.mockRestore();
    }
    const keys = db.query("SELECT id, user_name_key AS key FROM users ORDER BY id").all();
    expect(keys).toEqual([
      { id: "u1", key: "οδοσ@example.gr" },
      { id: "u2", key: "alice@example.com" },
      { id: "u3", key: "ασ@example.gr" },
      { id: "u4", key: "ας@example.gr" },
      { id: "u5", key: "ασ@example.gr" },
    ]);
    expect(db.query("SELECT display_name_key AS key FROM groups").get()).toEqual({ key: "ομαδεσ" });
    expect(warnings).toEqual([[expect.stringMatching(/users u4 of tenant t1 differs from u3 only in case/)]]);
  });

  test("migration 7: users stored without active get the value their column held; others are untouched", () => {
    const db = openDatabase(":memory:");
    migrate(db, migrations.filter((m) => m.version <= 6));
    db.exec("INSERT INTO tenants (id, name, created) VALUES ('t1', 'One', 'now')");
    const user = db.query(
      "INSERT INTO users (tenant_id, id, user_name, user_name_key, active, data, created, last_modified) VALUES ('t1', ?1, ?1, ?1, ?2, ?3, 'now', 'now')",
    );
    const rows: [string, number, string][] = [
      ["none", 1, '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"none","name":{"givenName":"Zoë"}}'],
      ["off", 0, '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"off","active":false}'],
      ["on", 1, '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"active":true,"userName":"on"}'],
    ];
    for (const [id, active, data] of rows) user.run(id, active, data);
    expect(migrate(db)).toEqual({ from: 6, to: latest });
    expect(db.query("SELECT id, data FROM users ORDER BY id").all()).toEqual([
      { id: "none", data: '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"none","name":{"givenName":"Zoë"},"active":true}' },
      { id: "off", data: rows[1][2] },
      { id: "on", data: rows[2][2] },
    ]);
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
