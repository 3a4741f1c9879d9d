// Caches of token status and tenant settings hold while the database has not changed. The change counter
// is PRAGMA data_version, which must see every commit of another connection (the CLI revoking a token);
// and however it is read, the server must keep SQLite's own locks, or a CLI command run beside it resets
// the wal-index under it.
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChangeWatch, changesOf } from "../../src/db/change-watch";
import { inOneWrite } from "../../src/db/transactions";
import { openDatabase } from "../../src/db/open";
import { startLiveServer } from "../log/live-server";

function twoConnections() {
  const dir = mkdtempSync(join(tmpdir(), "scimd-watch-"));
  const ours = openDatabase(dir);
  ours.exec("CREATE TABLE t (x INTEGER)");
  const theirs = new Database(join(dir, "scimd.sqlite"));
  return { ours, theirs };
}

const nextRun = () => new Promise((resolve) => setTimeout(resolve, 0));

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
});

describe("SQLite's locks on the wal-index while the server runs", () => {
  const holderOf = (shm: string) => {
    const probe = Bun.spawnSync([process.execPath, join(import.meta.dir, "../support/shm-lock-probe.ts"), shm]);
    expect(probe.exitCode).toBe(0);
    return JSON.parse(probe.stdout.toString()) as { locked: boolean; pid: number };
  };

  test.skipIf(process.platform !== "linux")("the server still holds its lock on the -shm file after serving requests", async () => {
    const server = await startLiveServer();
    try {
      const t = await server.tenant();
      const headers = { authorization: `Bearer ${t.token}`, "content-type": "application/scim+json" };
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${t.url}/Users`, { method: "POST", headers, body: JSON.stringify({ userName: `lock${i}@example.com` }) });
        expect(res.status).toBe(201);
        expect((await fetch(`${t.url}/Users?filter=userName eq "lock${i}@example.com"`, { headers })).status).toBe(200);
      }
      expect(holderOf(join(server.dataDir, "scimd.sqlite-shm"))).toEqual({ locked: true, pid: process.pid });
    } finally {
      await server.stop();
    }
  });

  test("CLI commands run beside a writing server: the server keeps answering and sees every CLI commit", async () => {
    const server = await startLiveServer();
    try {
      const t = await server.tenant();
      const headers = { authorization: `Bearer ${t.token}`, "content-type": "application/scim+json" };
      const created = await fetch(`${t.url}/Users`, { method: "POST", headers, body: JSON.stringify({ userName: "beside@example.com" }) });
      const { id } = (await created.json()) as { id: string };
      const env = { ...process.env, SCIMD_DATA_DIR: server.dataDir };
      for (let i = 0; i < 6; i++) {
        const cli = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/index.ts"), "tenant", "create", "--name", `Beside ${i}`], { env, stdout: "pipe", stderr: "pipe" });
        const writes = Array.from({ length: 20 }, (_, j) =>
          fetch(`${t.url}/Users/${id}`, {
            method: "PATCH",
            headers,
            body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: `t${i}.${j}` }] }),
          }).then((r) => r.status),
        );
        expect(await cli.exited).toBe(0);
        expect(new Set(await Promise.all(writes))).toEqual(new Set([200]));
      }
      const listed = (await (await server.admin("/tenants")).json()) as { Resources?: unknown[] } | unknown[];
      const names = JSON.stringify(listed);
      for (let i = 0; i < 6; i++) expect(names).toContain(`Beside ${i}`);
      const user = (await (await fetch(`${t.url}/Users/${id}`, { headers })).json()) as { title: string };
      expect(user.title).toMatch(/^t5\./);
    } finally {
      await server.stop();
    }
  });
});
