// Every request that got an answer is in the log after a clean stop, even the last ones before it.
import { expect, test } from "bun:test";
import { migrate } from "../../src/db/migrate";
import { openDatabase } from "../../src/db/open";
import { startLiveServer } from "./live-server";

test("stop() writes the buffered entries before the database closes", async () => {
  const s = await startLiveServer();
  const a = await s.tenant();
  const responses = await Promise.all(
    Array.from({ length: 120 }, (_, i) =>
      fetch(`${a.url}/Users?startIndex=${i + 1}`, { headers: { authorization: `Bearer ${a.token}`, "user-agent": "load" } }),
    ),
  );
  expect(responses.every((r) => r.status === 200)).toBe(true);
  const ids = new Set(responses.map((r) => r.headers.get("x-request-id") ?? ""));
  await s.stop();

  const db = openDatabase(s.dataDir);
  migrate(db);
  const rows = db.query("SELECT request_id AS id FROM request_log WHERE tenant_id = $t").all({ t: a.id }) as { id: string }[];
  expect(rows).toHaveLength(120);
  expect(new Set(rows.map((r) => r.id))).toEqual(ids);
  db.close();
});

test("stop() ends open live tails instead of waiting for them", async () => {
  const s = await startLiveServer();
  const res = await s.admin("/log/stream");
  const reader = res.body!.getReader();
  await reader.read();
  const started = Date.now();
  await s.stop();
  expect(Date.now() - started).toBeLessThan(2000);
  const rest = await reader.read().catch(() => ({ done: true }));
  expect(rest.done).toBe(true);
});
