// The provisioning log's own thread (a real listening server over a database file): it stores every entry,
// its writes and the request thread's meet at the write gate and never at SQLite's lock, it checkpoints the
// WAL in their stead, and if it fails the request thread takes the log back.
import { afterEach, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { createUserBody } from "../../bench/bodies";
import { type LiveServer, startLiveServer } from "./live-server";
import { rowCount, settle } from "./support";

let s: LiveServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const pragma = (server: LiveServer, name: string) => Object.values(server.services.db.query(`PRAGMA ${name}`).get() as object)[0];

async function send(server: LiveServer, n: number, inFlight: number, request: (i: number) => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) statuses.push((await request(next++)).status);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return statuses;
}

test("a serving process writes its log on a thread of its own; every answered request is stored", async () => {
  s = await startLiveServer();
  const a = await s.tenant();
  expect(s.services.requestLog.thread.running).toBe(true);
  // The request thread's connection leaves checkpoints to the log's thread.
  expect(pragma(s, "wal_autocheckpoint")).toBe(0);
  const headers = { authorization: `Bearer ${a.token}` };
  const ids = new Set<string>();
  const statuses = await send(s, 300, 8, async (i) => {
    const res = await fetch(`${a.url}/Users?filter=${encodeURIComponent(`userName eq "nobody-${i}"`)}`, { headers });
    ids.add(res.headers.get("x-request-id") ?? "");
    return res;
  });
  expect(statuses.every((st) => st === 200)).toBe(true);
  await settle(s.services);
  const rows = s.services.db.query("SELECT request_id AS id, operation FROM request_log WHERE tenant_id = $t").all({ t: a.id }) as { id: string; operation: string }[];
  expect(new Set(rows.map((r) => r.id))).toEqual(ids);
  expect(rows.every((r) => r.operation === "test_connection" || r.operation === "lookup")).toBe(true);
  // The admin API reads what the thread stored, after waiting for it.
  const res = await s.admin(`/log?tenant=${a.id}&limit=1000`);
  expect(((await res.json()) as { entries: unknown[] }).entries).toHaveLength(300);
});

test("writes of the request thread never meet the log thread's at SQLite's lock, and the WAL stays checkpointed", async () => {
  s = await startLiveServer();
  const a = await s.tenant();
  // Were the two threads ever to meet at SQLite's lock, the request thread's write would fail at once.
  s.services.db.exec("PRAGMA busy_timeout = 0");
  const headers = { authorization: `Bearer ${a.token}`, "content-type": "application/scim+json" };
  const statuses = await send(s, 3000, 16, (i) => fetch(`${a.url}/Users`, { method: "POST", headers, body: createUserBody(i) }));
  expect(statuses.filter((st) => st !== 201)).toEqual([]);
  await settle(s.services);
  expect(rowCount(s.services)).toBeGreaterThanOrEqual(3000);
  // 3,000 creates write far more than 1,000 WAL frames; checkpoints keep the file from growing with them.
  const wal = statSync(join(s.dataDir, "scimd.sqlite-wal")).size;
  expect(wal).toBeLessThan(32 * 1024 * 1024);
}, 60_000);

test("if the thread fails, the request thread takes the log back: its own checkpoints, every entry stored", async () => {
  s = await startLiveServer();
  const a = await s.tenant();
  const thread = s.services.requestLog.thread;
  const original = console.error;
  const errors: unknown[] = [];
  console.error = (...args: unknown[]) => void errors.push(args);
  try {
    (thread as unknown as { fail(reason: string): void }).fail("simulated failure");
  } finally {
    console.error = original;
  }
  expect(String(errors[0])).toContain("simulated failure");
  expect(thread.running).toBe(false);
  expect(pragma(s, "wal_autocheckpoint")).toBe(1000);
  const headers = { authorization: `Bearer ${a.token}` };
  const res = await fetch(`${a.url}/Users`, { headers });
  expect(res.status).toBe(200);
  await settle(s.services);
  const row = s.services.db.query("SELECT operation FROM request_log WHERE request_id = $id").get({ id: res.headers.get("x-request-id") });
  expect(row).toEqual({ operation: "list" });
});
