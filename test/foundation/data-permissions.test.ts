// Found by a review: the data directory scimd created was 0755 and scimd.sqlite (with its -wal and -shm, which
// SQLite creates with the database file's mode) 0644, so any local user could read every tenant's users, signing
// keys and token hashes. What scimd creates is now its owner's only; what exists already keeps its mode.
import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { freshDir, runEntry, serveEntry } from "../support/entry";

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const FILES = ["scimd.sqlite", "scimd.sqlite-wal", "scimd.sqlite-shm"];
const newDatabaseNote = (dataDir: string) =>
  `scimd: SCIMD_DATA_DIR=${dataDir} held no database; created a new one (start the server with this SCIMD_DATA_DIR)\n`;

describe("a data directory scimd creates", () => {
  test("is 0700, and the database with its -wal and -shm files 0600, while the server runs", async () => {
    const dataDir = join(freshDir(), "a", "data");
    const server = await serveEntry({ SCIMD_DATA_DIR: dataDir, SCIMD_PORT: "0" });
    try {
      expect(server.text).toContain("listening on");
      expect([join(dataDir, ".."), dataDir].map(mode)).toEqual(["700", "700"]);
      expect(FILES.map((f) => [f, mode(join(dataDir, f))])).toEqual(FILES.map((f) => [f, "600"]));
    } finally {
      await server.stop();
    }
  }, 20_000);

  test("a CLI command creates them the same way", async () => {
    const dataDir = join(freshDir(), "data");
    const r = await runEntry(["tenant", "create", "--name", "A"], { SCIMD_DATA_DIR: dataDir });
    expect([r.code, r.err]).toEqual([0, newDatabaseNote(dataDir)]);
    expect([mode(dataDir), mode(join(dataDir, "scimd.sqlite"))]).toEqual(["700", "600"]);
  }, 20_000);
});

describe("an existing data directory", () => {
  test("keeps its mode; the database created in it is 0600", async () => {
    const dataDir = join(freshDir(), "volume");
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const r = await runEntry(["tenant", "create", "--name", "A"], { SCIMD_DATA_DIR: dataDir });
    expect([r.code, r.err]).toEqual([0, newDatabaseNote(dataDir)]);
    expect([mode(dataDir), mode(join(dataDir, "scimd.sqlite"))]).toEqual(["755", "600"]);
  }, 20_000);

  test("an existing database keeps its mode, and SQLite gives its -wal and -shm the same", async () => {
    const dataDir = freshDir();
    expect((await runEntry(["tenant", "create", "--name", "A"], { SCIMD_DATA_DIR: dataDir })).code).toBe(0);
    chmodSync(join(dataDir, "scimd.sqlite"), 0o640);
    const server = await serveEntry({ SCIMD_DATA_DIR: dataDir, SCIMD_PORT: "0" });
    try {
      expect(FILES.map((f) => [f, mode(join(dataDir, f))])).toEqual(FILES.map((f) => [f, "640"]));
    } finally {
      await server.stop();
    }
  }, 20_000);
});
