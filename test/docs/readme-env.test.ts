// The README is the front door: every environment variable the code reads is in its table, and the table names
// none the code has dropped.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
// A build-time define (`bun build --define`), not something a user sets.
const NOT_SETTINGS = new Set(["SCIMD_BUILD"]);

const sources = (readdirSync(join(ROOT, "src"), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
const namedInCode = new Set(
  sources.flatMap((f) => readFileSync(join(ROOT, "src", f), "utf8").match(/SCIMD_[A-Z_]+/g) ?? []).filter((n) => !NOT_SETTINGS.has(n)),
);
const inReadmeTable = new Set([...readFileSync(join(ROOT, "README.md"), "utf8").matchAll(/^\| `(SCIMD_[A-Z_]+)` \|/gm)].map((m) => m[1]));

test("every SCIMD_ variable in the code has a row in the README's table, and every row is read by the code", () => {
  expect(namedInCode.size).toBeGreaterThan(10);
  expect([...inReadmeTable].sort()).toEqual([...namedInCode].sort());
});
