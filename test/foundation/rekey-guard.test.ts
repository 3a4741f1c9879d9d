// `scimd rekey` beside a running server re-encrypted the secrets under the server, which went on with the old
// key (the docs only warned). A server now holds a lock on scimd.lock for as long as it lives, and rekey refuses
// while it does; a server killed with kill -9 leaves no stale lock; a server starting during a rekey waits for it.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { freshDir, runEntry, serveEntry } from "../support/entry";

const NEW_KEY = "a-new-master-key-of-at-least-32-characters";
const REFUSED = (dataDir: string) =>
  `scimd: rekey: a scimd server is running on SCIMD_DATA_DIR=${dataDir} (or another rekey is); stop it, run rekey, then start it with the new key`;

async function serving() {
  // No rate limit: the traffic below is meant to be answered, not limited.
  const env = { SCIMD_DATA_DIR: freshDir(), SCIMD_PORT: "0", SCIMD_RATE_LIMIT: "0" };
  const server = await serveEntry(env);
  const base = /listening on (\S+)/.exec(server.text)![1]!;
  const created = await runEntry(["tenant", "create", "--name", "Guarded"], env);
  const tenant = JSON.parse(created.out) as { id: string; token: string };
  const users = () => fetch(`${base}/scim/v2/${tenant.id}/Users?count=1`, { headers: { authorization: `Bearer ${tenant.token}` } });
  return { env, server, users };
}

const rekey = (env: Record<string, string>) => runEntry(["rekey"], { ...env, SCIMD_NEW_MASTER_KEY: NEW_KEY });

describe("scimd rekey and a server on the same data directory", () => {
  test("refused while the server runs and answers requests, which go on working; allowed once it stopped", async () => {
    const { env, server, users } = await serving();
    // Bounded traffic: four clients, at most 5,000 requests each, until the rekeys below are done.
    let done = false;
    let answered = 0;
    const statuses = new Set<number>();
    const traffic = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 5_000 && !done; i++) {
        statuses.add((await users()).status);
        answered++;
      }
    });
    try {
      for (let i = 0; i < 2; i++) {
        const before = answered;
        const r = await rekey(env);
        expect({ code: r.code, out: r.out, err: r.err.trimEnd().split("\n") }).toEqual({ code: 1, out: "", err: [REFUSED(env.SCIMD_DATA_DIR)] });
        expect(answered).toBeGreaterThan(before);
      }
      done = true;
      await Promise.all(traffic);
      expect([...statuses]).toEqual([200]);
      expect((await users()).status).toBe(200);
    } finally {
      done = true;
      await Promise.allSettled(traffic);
      await server.stop();
    }
    const after = await rekey(env);
    expect([after.code, after.err]).toEqual([0, ""]);
    expect(JSON.parse(after.out)).toMatchObject({ encrypted: true });
  }, 60_000);

  test("a server killed with kill -9 leaves no stale lock", async () => {
    const { env, server } = await serving();
    await server.stop("SIGKILL");
    const r = await rekey(env);
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(JSON.parse(r.out)).toMatchObject({ encrypted: true });
  }, 30_000);

  // The other order: a server starting while a rekey holds the lock waits for it, and only then checks the key.
  test("a server starting during a rekey waits until it has finished", async () => {
    const { env, server } = await serving();
    await server.stop();
    const rekeying = new Database(join(env.SCIMD_DATA_DIR, "scimd.lock"));
    rekeying.exec("BEGIN EXCLUSIVE");
    const starting = serveEntry(env);
    const early = await Promise.race([starting.then(() => "started"), Bun.sleep(1500).then(() => "waiting")]);
    rekeying.exec("ROLLBACK");
    rekeying.close();
    const started = await starting;
    try {
      expect(early).toBe("waiting");
      expect(started.text).toContain("listening on");
    } finally {
      await started.stop();
    }
  }, 30_000);
});
