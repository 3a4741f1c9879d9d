// The periodic checkpoint (src/db/checkpoints.ts): a commit reaches the database file itself within the
// interval, so losing the WAL (a power cut before it was synced) no longer loses it. "Losing the WAL" is
// simulated by copying the database file alone and opening the copy.
import { Database } from "bun:sqlite";
import { afterEach, beforeEach, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpointEvery } from "../../src/db/checkpoints";
import { DB_FILE, openDatabase } from "../../src/db/open";
import { startLiveServer } from "../log/live-server";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "scimd-checkpoint-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The rows of table t in the database file alone, without its WAL. */
function rowsWithoutWal(dataDir: string, table: string, column: string): string[] {
  const copy = join(dir, `copy-${crypto.randomUUID()}.sqlite`);
  copyFileSync(join(dataDir, DB_FILE), copy);
  const db = new Database(copy, { readonly: true });
  try {
    return (db.query(`SELECT ${column} AS v FROM ${table}`).all() as { v: string }[]).map((r) => r.v);
  } finally {
    db.close();
  }
}

test("a commit is in the database file within the interval, and not before; none after the checkpoints stop", async () => {
  const db = openDatabase(dir);
  db.exec("CREATE TABLE t (v TEXT NOT NULL)");
  db.query("INSERT INTO t (v) VALUES ('before')").run();
  // The WAL has not been checkpointed yet: without it, the file has no table at all.
  expect(() => rowsWithoutWal(dir, "t", "v")).toThrow(/no such table/);

  const stop = checkpointEvery(db, 20);
  await Bun.sleep(150);
  expect(rowsWithoutWal(dir, "t", "v")).toEqual(["before"]);

  db.query("INSERT INTO t (v) VALUES ('second')").run();
  await Bun.sleep(150);
  expect(rowsWithoutWal(dir, "t", "v")).toEqual(["before", "second"]);

  stop();
  db.query("INSERT INTO t (v) VALUES ('after')").run();
  await Bun.sleep(150);
  expect(rowsWithoutWal(dir, "t", "v")).toEqual(["before", "second"]);
  db.close();
});

test("a serving process checkpoints: a user created over HTTP is in the database file within the interval", async () => {
  const server = await startLiveServer({}, { checkpointMs: 50 });
  try {
    const tenant = await server.tenant();
    const res = await fetch(`${tenant.url}/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.token}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "durable@contoso.com" }),
    });
    expect(res.status).toBe(201);
    await Bun.sleep(300);
    expect(rowsWithoutWal(server.dataDir, "users", "user_name")).toEqual(["durable@contoso.com"]);
  } finally {
    await server.stop();
  }
});
