// `scimd healthcheck` and `scimd backup` as an operator (or a container runtime) runs them: a well-formed command
// that cannot do its work says why in one line, without the usage text, and exits 1.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { freshDir, runEntry, serveEntry } from "../support/entry";

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe("healthcheck", () => {
  // Found by a review: it asked http://::1:PORT/healthz, no URL at all, and called a healthy server unhealthy.
  test("a server on an IPv6 address is healthy", async () => {
    const env = { SCIMD_DATA_DIR: freshDir(), SCIMD_HOST: "::1", SCIMD_PORT: String(await freePort("::1")) };
    const server = await serveEntry(env);
    try {
      const r = await runEntry(["healthcheck"], env);
      expect([r.code, r.err]).toEqual([0, ""]);
      expect(JSON.parse(r.out)).toEqual({ healthy: true });
    } finally {
      await server.stop();
    }
  }, 20_000);

  test("no server: one line naming the address asked, exit 1, no usage text", async () => {
    const port = await freePort("127.0.0.1");
    const r = await runEntry(["healthcheck"], { SCIMD_DATA_DIR: freshDir(), SCIMD_PORT: String(port) });
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split("\n")).toEqual([`scimd: unhealthy: no answer from http://127.0.0.1:${port}/healthz`]);
  }, 20_000);

  // Found by a review: it opened and migrated the database, so a newer binary's healthcheck migrated it under an
  // older running server. It needs only SCIMD_HOST and SCIMD_PORT.
  test("does not open the database: a data directory that does not exist is not created", async () => {
    const dataDir = join(freshDir(), "none");
    const env = { SCIMD_DATA_DIR: freshDir(), SCIMD_PORT: String(await freePort("127.0.0.1")) };
    const server = await serveEntry(env);
    try {
      const r = await runEntry(["healthcheck"], { ...env, SCIMD_DATA_DIR: dataDir });
      expect([r.code, r.err, JSON.parse(r.out)]).toEqual([0, "", { healthy: true }]);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await server.stop();
    }
  }, 20_000);

  // Found by a review: fetch had no timeout of its own, so a hung server left the check hanging, not unhealthy.
  test("a server that accepts the connection and never answers: unhealthy, exit 1, within its timeout", async () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const started = performance.now();
      const r = await runEntry(["healthcheck"], { SCIMD_DATA_DIR: freshDir(), SCIMD_PORT: String(silent.port) });
      const url = `http://127.0.0.1:${silent.port}/healthz`;
      expect([r.code, r.err.trimEnd().split("\n")]).toEqual([1, [`scimd: unhealthy: ${url} did not answer within 3 s`]]);
      expect(performance.now() - started).toBeLessThan(8_000);
    } finally {
      silent.stop(true);
    }
  }, 20_000);

  test("SCIMD_PORT=0: one line saying it cannot know the port, exit 1", async () => {
    const r = await runEntry(["healthcheck"], { SCIMD_DATA_DIR: freshDir(), SCIMD_PORT: "0" });
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split("\n")).toEqual([
      "scimd: healthcheck: SCIMD_PORT=0 lets the server pick a free port, which healthcheck cannot know; set SCIMD_PORT to the port the server listens on",
    ]);
  }, 20_000);

  // Docker reserves a HEALTHCHECK's exit code 2; a configuration scimd refuses (exit 2 for serve) is unhealthy.
  test.each([
    ["a bad SCIMD_PORT", ["healthcheck"], { SCIMD_PORT: "eighty" }],
    ["an unknown option", ["healthcheck", "--verbose"], {}],
  ])("%s: exit 1, never Docker's reserved 2 or the usage code", async (_, args, env) => {
    const r = await runEntry(args, { SCIMD_DATA_DIR: freshDir(), ...env });
    expect(r.code).toBe(1);
    expect(r.err).toStartWith("scimd: ");
  }, 20_000);
});

describe("backup", () => {
  // Found by a review: a mistyped SCIMD_DATA_DIR created an empty database there and "backed it up" with exit 0,
  // a backup of nothing that looked like a good one.
  test("a data directory without a database is refused: no backup file, no directory created", async () => {
    const dataDir = join(freshDir(), "typo");
    const target = join(freshDir(), "backup.sqlite");
    const r = await runEntry(["backup", target], { SCIMD_DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split("\n")).toEqual([
      `scimd: backup: SCIMD_DATA_DIR=${dataDir} does not exist, so it holds no database; set SCIMD_DATA_DIR to the server's data directory`,
    ]);
    expect([existsSync(target), existsSync(dataDir)]).toEqual([false, false]);
  }, 20_000);

  test("an existing file is not overwritten: one line, exit 1, the file unchanged", async () => {
    const env = { SCIMD_DATA_DIR: freshDir() };
    expect((await runEntry(["tenant", "create", "--name", "A"], env)).code).toBe(0);
    const target = join(freshDir(), "backup.sqlite");
    writeFileSync(target, "an older backup");
    const r = await runEntry(["backup", target], env);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split("\n")).toEqual([`scimd: backup: ${target} exists already; choose a new file name`]);
    expect(readFileSync(target, "utf8")).toBe("an older backup");
  }, 20_000);
});

describe("a tenant, token or client that does not exist", () => {
  // The command is well-formed: thirty lines of usage text under the one that matters hid it.
  test("one line naming it, exit 1, no usage text", async () => {
    const env = { SCIMD_DATA_DIR: freshDir() };
    const created = await runEntry(["tenant", "create", "--name", "A"], env);
    const tenant = (JSON.parse(created.out) as { id: string }).id;
    const cases: [string[], string][] = [
      [["token", "list", "nope"], "scimd: no tenant nope; `scimd tenant list` shows them"],
      [["token", "revoke", tenant, "nope"], `scimd: no token nope in tenant ${tenant}; \`scimd token list ${tenant}\` shows them`],
      [["client", "delete", tenant, "nope"], `scimd: no client nope in tenant ${tenant}; \`scimd client list ${tenant}\` shows them`],
    ];
    for (const [args, line] of cases) {
      const r = await runEntry(args, env);
      expect({ args, code: r.code, err: r.err.trimEnd().split("\n") }).toEqual({ args, code: 1, err: [line] });
    }
  }, 20_000);
});

describe("backup file", () => {
  // Found by a review: VACUUM INTO created it with the umask's 0644, so any local user could read every tenant's
  // signing keys from it (stored in the clear without SCIMD_MASTER_KEY) and sign tokens for any tenant.
  test("is readable and writable by its owner only", async () => {
    const env = { SCIMD_DATA_DIR: freshDir() };
    expect((await runEntry(["tenant", "create", "--name", "A"], env)).code).toBe(0);
    const target = join(freshDir(), "backup.sqlite");
    const r = await runEntry(["backup", target], env);
    expect([r.code, r.err]).toEqual([0, ""]);
    expect((statSync(target).mode & 0o777).toString(8)).toBe("600");
  }, 20_000);
});

describe("a command while another process holds the database's write lock past the busy timeout", () => {
  // Found by a review: SQLITE_BUSY after the 5 s wait reached the user as "unexpected error" and a stack trace.
  test("one line saying it is busy and nothing was changed, exit 1", async () => {
    const env = { SCIMD_DATA_DIR: freshDir() };
    expect((await runEntry(["tenant", "create", "--name", "Before"], env)).code).toBe(0);
    const holder = Bun.spawn(
      [process.execPath, "-e", `import { Database } from "bun:sqlite";
        const db = new Database(${JSON.stringify(join(env.SCIMD_DATA_DIR, "scimd.sqlite"))});
        db.exec("BEGIN IMMEDIATE"); console.log("locked"); await Bun.sleep(15_000); db.exec("ROLLBACK");`],
      // The ROLLBACK keeps db referenced: collected as garbage, it would close and let go of the lock.
      { stdout: "pipe" },
    );
    try {
      await holder.stdout.getReader().read();
      const r = await runEntry(["tenant", "create", "--name", "Busy"], env);
      expect(r.code).toBe(1);
      expect(r.err.trimEnd().split("\n")).toEqual(["scimd: the database is busy with another process; nothing was changed, try again"]);
    } finally {
      holder.kill();
      await holder.exited;
    }
    expect((JSON.parse((await runEntry(["tenant", "list"], env)).out) as { name: string }[]).map((t) => t.name)).toEqual(["Before"]);
  }, 30_000);
});
