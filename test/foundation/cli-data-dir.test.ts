// A mistyped SCIMD_DATA_DIR (`/var/lib/scmid`): every command on existing data used to open, and so create, an
// empty database there and answer "no tenants" (or "no tenant T"). It now says in one line that the directory
// holds no database, exits 1 and creates nothing. Only `serve` and `tenant create` (a first run) create one.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshDir, runEntry } from "../support/entry";

/** Each command that reads or changes existing data, with arguments it takes. */
const ON_EXISTING_DATA: [string, string[]][] = [
  ["tenant list", []],
  ["tenant show", ["T"]],
  ["tenant delete", ["T"]],
  ["tenant set", ["T", "--rate-limit", "5"]],
  ["token issue", ["T"]],
  ["token list", ["T"]],
  ["token revoke", ["T", "JTI"]],
  ["key rotate", ["T"]],
  ["client create", ["T"]],
  ["client list", ["T"]],
  ["client rotate", ["T", "C"]],
  ["client delete", ["T", "C"]],
  ["rekey", ["--decrypt"]],
];

const HINT = "set SCIMD_DATA_DIR to the server's data directory";

async function refusedEach(dataDir: string, problem: string) {
  const backupFile = join(freshDir(), "b.sqlite");
  for (const [command, args] of [...ON_EXISTING_DATA, ["backup", [backupFile]] as [string, string[]]]) {
    const r = await runEntry([...command.split(" "), ...args], { SCIMD_DATA_DIR: dataDir });
    expect({ command, code: r.code, out: r.out, err: r.err.trimEnd().split("\n") }).toEqual({
      command,
      code: 1,
      out: "",
      err: [`scimd: ${command}: SCIMD_DATA_DIR=${dataDir} ${problem}; ${HINT}`],
    });
  }
  expect(existsSync(backupFile)).toBe(false);
}

describe("a command on existing data, in a data directory without a database", () => {
  test("a directory that does not exist: one line naming it, exit 1, and it is not created", async () => {
    const dataDir = join(freshDir(), "scmid");
    await refusedEach(dataDir, "does not exist, so it holds no database");
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  test("an empty directory: one line naming it, exit 1, and it stays empty", async () => {
    const dataDir = freshDir();
    await refusedEach(dataDir, "holds no database (no scimd.sqlite in it)");
    expect(readdirSync(dataDir)).toEqual([]);
  }, 60_000);

  test("a file: one line, exit 1, nothing created beside it", async () => {
    const parent = freshDir();
    const dataDir = join(parent, "data");
    writeFileSync(dataDir, "");
    const r = await runEntry(["tenant", "list"], { SCIMD_DATA_DIR: dataDir });
    expect([r.code, r.err.trimEnd().split("\n")]).toEqual([1, [`scimd: tenant list: SCIMD_DATA_DIR=${dataDir} is not a directory, so it holds no database; ${HINT}`]]);
    expect(readdirSync(parent)).toEqual(["data"]);
  }, 20_000);

  // The usage check comes first: a mistyped command is a usage error (exit 64) wherever it is run.
  test("a usage error is still a usage error", async () => {
    const dataDir = join(freshDir(), "scmid");
    const r = await runEntry(["tenant", "list", "--all"], { SCIMD_DATA_DIR: dataDir });
    expect(r.code).toBe(64);
    expect(existsSync(dataDir)).toBe(false);
  }, 20_000);
});

describe("tenant create, a first-run command", () => {
  // README, Connect Entra ID: the first tenant may be created before the first start.
  test("creates the database in a new data directory, says so on stderr, and the next command finds it", async () => {
    const dataDir = join(freshDir(), "data");
    const created = await runEntry(["tenant", "create", "--name", "First"], { SCIMD_DATA_DIR: dataDir });
    expect(created.code).toBe(0);
    expect(created.err.trimEnd().split("\n")).toEqual([
      `scimd: SCIMD_DATA_DIR=${dataDir} held no database; created a new one (start the server with this SCIMD_DATA_DIR)`,
    ]);
    const id = (JSON.parse(created.out) as { id: string }).id;
    const again = await runEntry(["tenant", "create", "--name", "Second"], { SCIMD_DATA_DIR: dataDir });
    expect([again.code, again.err]).toEqual([0, ""]);
    const listed = await runEntry(["tenant", "list"], { SCIMD_DATA_DIR: dataDir });
    expect([listed.code, listed.err]).toEqual([0, ""]);
    expect((JSON.parse(listed.out) as { id: string; name: string }[]).map((t) => t.name).sort()).toEqual(["First", "Second"]);
    expect((JSON.parse(listed.out) as { id: string }[]).map((t) => t.id)).toContain(id);
  }, 20_000);

  test("an existing empty directory (a Docker volume) gets the database", async () => {
    const dataDir = join(freshDir(), "volume");
    mkdirSync(dataDir);
    const r = await runEntry(["tenant", "create", "--name", "A"], { SCIMD_DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    expect(existsSync(join(dataDir, "scimd.sqlite"))).toBe(true);
  }, 20_000);
});
