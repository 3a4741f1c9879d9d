// scripts/build.ts takes one argument, the path of the executable: `--help` or a second argument is a usage error,
// not a path (it wrote a 100 MB executable named "--help" into the working directory).
import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "bun";

const SCRIPT = resolve(import.meta.dir, "../../scripts/build.ts");

test.each([[["--help"]], [["-o", "x"]], [["a", "b"]]])("build.ts %p: usage, exit 2, nothing written", (args) => {
  const cwd = mkdtempSync(join(tmpdir(), "build-args-"));
  const run = spawnSync([process.execPath, SCRIPT, ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  expect(run.exitCode).toBe(2);
  expect(run.stderr.toString()).toContain("usage: bun scripts/build.ts [OUTFILE]");
  expect(readdirSync(cwd)).toEqual([]);
  expect(existsSync(join(cwd, "--help"))).toBe(false);
});
