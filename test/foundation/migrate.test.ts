import { describe, expect, spyOn, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { migrate, NewerDatabaseError, schemaVersion } from "../../src/db/migrate";
import { migrations } from "../../src/db/migrations";
import { openDatabase } from "../../src/db/open";

const latest = migrations.at(-1)!.version;

// Opens and migrates a data directory in a process of its own, starting at START_AT (a shared instant, so that
// the processes of one round really overlap).
const DB_SRC = resolve(import.meta.dir, "../../src/db");
const MIGRATING_PROCESS = `
import { openDatabase } from "${DB_SRC}/open.ts";
import { migrate, schemaVersion } from "${DB_SRC}/migrate.ts";
while (Date.now() < Number(process.env.START_AT)) {}
const db = openDatabase(process.env.DATA_DIR);
migrate(db);
console.log(schemaVersion(db));
`;

async function migrateTogether(dataDir: string, processes: number) {
  const env = { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, START_AT: String(Date.now() + 300) };
  const spawned = Array.from({ length: processes }, () =>
    Bun.spawn([process.execPath, "-e", MIGRATING_PROCESS], { env, stdout: "pipe", stderr: "pipe" }),
  );
  return Promise.all(
    spawned.map(async (p) => ({ code: await p.exited, out: (await new Response(p.stdout).text()).trim(), err: await new Response(p.stderr).text() })),
  );
}

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

  test("migration 8: request_log rebuilt with AUTOINCREMENT keeps every row, column, index and the foreign key", () => {
    const db = openDatabase(":memory:");
    migrate(db, migrations.filter((m) => m.version <= 7));
    db.exec("INSERT INTO tenants (id, name, created) VALUES ('t1', 'One', 'now'), ('t2', 'Two', 'now')");
    const insert = db.query(
      `INSERT INTO request_log (id, tenant_id, time, request_id, method, path, operation, resource_type, resource_id,
         resource_name, status, scim_type, detail, duration_ms, client_ip, user_agent, request_headers, request_body,
         response_body)
       VALUES (?1, ?2, ?3, 'r' || ?1, 'PATCH', '/scim/v2/x/Users/1', 'update', 'User', 'u1', ?4, 400, 'invalidValue',
         'bad', 1.5, '10.0.0.1', 'Azure AD', '{"a":1}', '{"b":2}', '{"c":3}')`,
    );
    const names = [[3, "t1", "Émile.Zola@Example.fr"], [7, "t2", "ΟΔΟΣ"], [8, "t2", null], [9, "t1", "Alice@Example.COM"]] as const;
    for (const [id, tenant, name] of names) insert.run(id, tenant, 1000 + id, name);
    const snapshot = () => ({
      rows: db.query("SELECT * FROM request_log ORDER BY id").all(),
      columns: db.query("PRAGMA table_info(request_log)").all(),
      indexes: db.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'request_log' ORDER BY name").all(),
      foreignKeys: db.query("PRAGMA foreign_key_list(request_log)").all(),
    });
    const before = snapshot();
    expect(migrate(db)).toEqual({ from: 7, to: latest });
    expect(snapshot()).toEqual(before);
    expect(db.query("SELECT seq FROM sqlite_sequence WHERE name = 'request_log'").get()).toEqual({ seq: 9 });
    expect((db.query("SELECT sql FROM sqlite_master WHERE name = 'request_log'").get() as { sql: string }).sql).toContain("AUTOINCREMENT");
    db.exec("DELETE FROM tenants WHERE id = 't1'"); // the foreign key still cascades
    expect(db.query("SELECT id FROM request_log").all()).toEqual([{ id: 7 }, { id: 8 }]);
  });

  // A server and a CLI command started together on a fresh data directory used to crash each other with
  // "database is locked" (WAL switched on before the busy timeout) or "table tenants already exists" (the
  // version read before the write lock). Found by a review pass; without the fix most of these processes fail.
  test("processes opening and migrating one fresh data directory at the same instant all succeed", async () => {
    for (let round = 0; round < 3; round++) {
      const results = await migrateTogether(mkdtempSync(join(tmpdir(), "scimd-db-")), 4);
      expect(results.map((r) => r.err.match(/SQLiteError: .*/)?.[0] ?? r.code)).toEqual([0, 0, 0, 0]);
      expect(results.map((r) => r.out)).toEqual(Array(4).fill(String(latest)));
    }
  }, 20_000);

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
