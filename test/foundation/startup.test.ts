// The entry point as a user starts it (`bun src/index.ts`, fresh data directories): what it prints when it
// starts, and the one line it prints when it cannot. The compiled binary runs the same code (test/binary).
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { freshDir as fresh, runEntry as run, serveEntry as serve } from "../support/entry";

async function startUpLines(env: Record<string, string>): Promise<string> {
  const { text, stop } = await serve(env);
  await stop();
  return text;
}

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { port: (server.address() as { port: number }).port, server };
}

const storedAdminToken = (dataDir: string) => {
  const db = new Database(join(dataDir, "scimd.sqlite"), { readonly: true });
  try {
    return db.query("SELECT value FROM settings WHERE key = 'admin_token_sha256'").get();
  } finally {
    db.close();
  }
};

describe("the generated admin token", () => {
  // Found by a review pass: the hash was stored before listening, so a first start on a busy port locked the
  // admin API for good (the token was never printed, and later starts print none).
  test("a first start that cannot listen keeps no admin token; the next start prints one that works", async () => {
    const dataDir = fresh();
    const busy = await occupiedPort();
    try {
      const failed = await run([], { SCIMD_DATA_DIR: dataDir, SCIMD_PORT: String(busy.port) });
      expect(failed.code).not.toBe(0);
      expect(failed.out).not.toContain("Admin token");
    } finally {
      busy.server.close();
    }
    expect(storedAdminToken(dataDir)).toBeNull();

    const second = await serve({ SCIMD_DATA_DIR: dataDir, SCIMD_PORT: "0" });
    try {
      const token = /Admin token[^:]*: (\S+)/.exec(second.text)?.[1];
      const url = /listening on (\S+)/.exec(second.text)?.[1];
      expect(token).toStartWith("scimd_admin_");
      const res = await fetch(`${url}/admin/v1/tenants`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    } finally {
      await second.stop();
    }
    expect(storedAdminToken(dataDir)).not.toBeNull();
  }, 15_000);

  // Found by a review: the generated token's hash outlived a start with SCIMD_ADMIN_TOKEN, and came back to
  // life when the variable was unset again (the operator had rotated away from it).
  test("SCIMD_ADMIN_TOKEN retires a generated token: unset again, a fresh one is generated and printed", async () => {
    const dataDir = fresh();
    const startWith = async (env: Record<string, string>, check: (url: string, text: string) => Promise<void>) => {
      const server = await serve({ SCIMD_DATA_DIR: dataDir, SCIMD_PORT: "0", ...env });
      try {
        await check(/listening on (\S+)/.exec(server.text)![1]!, server.text);
      } finally {
        await server.stop();
      }
    };
    const status = async (url: string, token: string) =>
      (await fetch(`${url}/admin/v1/tenants`, { headers: { authorization: `Bearer ${token}` } })).status;
    const printed = (text: string) => /Admin token[^:]*: (\S+)/.exec(text)?.[1];

    let first = "";
    await startWith({}, async (_url, text) => {
      first = printed(text) ?? "";
      expect(first).toStartWith("scimd_admin_");
    });
    const configured = "operator-chosen-admin-token-0123456789";
    await startWith({ SCIMD_ADMIN_TOKEN: configured }, async (url, text) => {
      expect(printed(text)).toBeUndefined();
      expect(await status(url, configured)).toBe(200);
      expect(await status(url, first)).toBe(401);
    });
    await startWith({}, async (url, text) => {
      const fresh = printed(text);
      expect(fresh).toStartWith("scimd_admin_");
      expect(fresh).not.toBe(first);
      expect(await status(url, first)).toBe(401);
      expect(await status(url, fresh!)).toBe(200);
    });
  }, 30_000);
});

describe("start-up output", () => {
  // design.md: "SCIMD_PORT 0 = any free port; the chosen one is printed", also when Tenant URLs use another base.
  test("with SCIMD_PUBLIC_URL and SCIMD_PORT=0: the address it listens on, with the chosen port, and the public URL", async () => {
    const text = await startUpLines({ SCIMD_DATA_DIR: fresh(), SCIMD_PORT: "0", SCIMD_PUBLIC_URL: "https://scim.example.com" });
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+) /.exec(text)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(text).toContain("Public URL (Tenant URLs start with it): https://scim.example.com\n");
    expect(text).toContain("API docs: https://scim.example.com/docs   Admin console: https://scim.example.com/ui\n");
  }, 15_000);

  test("without SCIMD_PUBLIC_URL: no public URL line; docs and console at the listening address", async () => {
    const text = await startUpLines({ SCIMD_DATA_DIR: fresh(), SCIMD_PORT: "0" });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+) /.exec(text)?.[1];
    expect(text).not.toContain("Public URL");
    expect(text).toContain(`API docs: ${url}/docs   Admin console: ${url}/ui\n`);
  }, 15_000);
});

describe("start-up and CLI failures: one line naming what to set, a non-zero exit, no stack trace", () => {
  const aFile = () => {
    const file = join(fresh(), "not-a-directory");
    writeFileSync(file, "");
    return file;
  };
  const notADatabase = () => {
    const dataDir = fresh();
    writeFileSync(join(dataDir, "scimd.sqlite"), "a gzip of a backup, say, or any file that is not an SQLite database\n".repeat(100));
    return dataDir;
  };
  const withDatabase = async () => {
    const dataDir = fresh();
    expect((await run(["tenant", "create", "--name", "A"], { SCIMD_DATA_DIR: dataDir })).code).toBe(0);
    return dataDir;
  };
  const cases: [string, () => Promise<{ args: string[]; env: Record<string, string> }>, RegExp][] = [
    ["data directory is a file", async () => ({ args: ["tenant", "create", "--name", "A"], env: { SCIMD_DATA_DIR: aFile() } }), /^scimd: SCIMD_DATA_DIR=\S+: is a file, not a directory; set SCIMD_DATA_DIR to/],
    ["data directory under a file", async () => ({ args: [], env: { SCIMD_DATA_DIR: join(aFile(), "data") } }), /^scimd: SCIMD_DATA_DIR=\S+: a part of the path is a file.*; set SCIMD_DATA_DIR to/],
    ["SCIMD_HOST a name that does not resolve", async () => ({ args: [], env: { SCIMD_DATA_DIR: fresh(), SCIMD_HOST: "999.1.1.1", SCIMD_PORT: "0" } }), /^scimd: cannot listen on 999\.1\.1\.1:0: not an address of this machine; set SCIMD_HOST to/],
    ["SCIMD_HOST an address of another machine", async () => ({ args: [], env: { SCIMD_DATA_DIR: fresh(), SCIMD_HOST: "192.0.2.1", SCIMD_PORT: "0" } }), /^scimd: cannot listen on 192\.0\.2\.1:0: not an address of this machine; set SCIMD_HOST to/],
    // Found by a review: a wrong file restored as scimd.sqlite (a compressed backup, a truncated copy) was a stack trace.
    ["scimd.sqlite is not a database", async () => ({ args: ["tenant", "list"], env: { SCIMD_DATA_DIR: notADatabase() } }), /^scimd: SCIMD_DATA_DIR=\S+: scimd\.sqlite in it is not an SQLite database, or is damaged; put a backup in its place/],
    ["backup into a missing directory", async () => ({ args: ["backup", join(fresh(), "missing", "b.sqlite")], env: { SCIMD_DATA_DIR: await withDatabase() } }), /^scimd: backup: \S+missing is not an existing directory; choose a backup path in one$/],
  ];
  test.each(cases)("%s", async (_name, setUp, message) => {
    const { args, env } = await setUp();
    const r = await run(args, env);
    expect(r.code).not.toBe(0);
    expect(r.err.trimEnd().split("\n")).toEqual([expect.stringMatching(message)]);
  });

  test("port in use", async () => {
    const busy = await occupiedPort();
    try {
      const r = await run([], { SCIMD_DATA_DIR: fresh(), SCIMD_PORT: String(busy.port) });
      expect(r.code).not.toBe(0);
      expect(r.err.trimEnd().split("\n")).toEqual([
        `scimd: cannot listen on 127.0.0.1:${busy.port}: the port is in use; set SCIMD_PORT to a free port (0 = any free port)`,
      ]);
    } finally {
      busy.server.close();
    }
  });

  // A file size limit (ulimit -f) stands in for a full disk: the copy fails part-way, as it would there.
  test("a backup that fails part-way leaves no partial file, so a retry with the same name works", async () => {
    const dataDir = fresh();
    expect((await run(["tenant", "create", "--name", "A"], { SCIMD_DATA_DIR: dataDir })).code).toBe(0);
    const target = join(fresh(), "backup.sqlite");
    const failed = await run(["backup", target], { SCIMD_DATA_DIR: dataDir }, "trap '' XFSZ; ulimit -f 64");
    expect(failed.code).toBe(1);
    expect(failed.err.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^scimd: backup to \S+ failed \(.+\); nothing was kept\. Choose a backup path with room for the database \(about \d+ MB\)/),
    ]);
    expect(existsSync(target)).toBe(false);
    const retried = await run(["backup", target], { SCIMD_DATA_DIR: dataDir });
    expect([retried.code, retried.err]).toEqual([0, ""]);
    expect(existsSync(target)).toBe(true);
  });
});
