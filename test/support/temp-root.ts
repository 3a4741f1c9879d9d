// Preloaded before every test file (bunfig.toml): each run's temporary directories (data directories, backups,
// databases of servers started as child processes) go under one directory of its own, removed when the run
// ends, so `npm test` leaves nothing behind in the system's temporary directory however a test ends.
import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "scimd-test-"));
process.env.TMPDIR = root;
// In a preload, afterAll runs once, after the last test file.
afterAll(() => rmSync(root, { recursive: true, force: true }));
