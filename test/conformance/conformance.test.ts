// Issue 3 §3: Microsoft's and Okta's public SCIM suites against the compiled binary on loopback.
// Microsoft: 107 assertions; 2 ask for /serviceConfiguration (no RFC server has it) and 2 want 204 from a
// user PATCH where we answer 200 with the resource, as Entra's documentation shows → at least 103.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cli, isolatedBinary, type RunningServer, startBinary } from "../support/binary";

const SHARED = resolve(import.meta.dir, "../../../shared/conformance");
const ROOT = resolve(import.meta.dir, "../..");
const skip = process.env.SCIMD_SKIP_EXTERNAL_TESTS === "1";

let server: RunningServer;
let bin: string;
let dir: string;

beforeAll(async () => {
  if (skip) return;
  // The suites live beside the project, not in it (issue 3 names ../shared/conformance), as CI checks it out.
  if (!existsSync(SHARED)) {
    throw new Error(`Microsoft's and Okta's suites are not at ${SHARED}: check the project out beside shared/ (README, Development), or set SCIMD_SKIP_EXTERNAL_TESTS=1`);
  }
  ({ bin, dir } = await isolatedBinary());
  server = await startBinary(bin, dir, { SCIMD_RATE_LIMIT: "0" });
}, 120_000);

afterAll(async () => {
  if (server) await server.stop();
});

function newTenant(name: string): { tenantUrl: string; token: string } {
  const res = cli(bin, dir, server.env, ["tenant", "create", "--name", name]);
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout);
}

async function run(cmd: string[]): Promise<string> {
  const env = { ...process.env, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH}` };
  const proc = Bun.spawn(cmd, { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  return out + err;
}

describe.skipIf(skip)("conformance suites against dist/scimd", () => {
  test("Microsoft's SCIM reference collection: at least 103 of 107 assertions", async () => {
    const tenant = newTenant("microsoft-conformance");
    const report = join(mkdtempSync(join(tmpdir(), "scimd-ms-")), "report.json");
    const output = await run(["sh", join(SHARED, "run-microsoft.sh"), tenant.tenantUrl, tenant.token, "--reporters", "cli,json", "--reporter-json-export", report]);
    const stats = JSON.parse(readFileSync(report, "utf8")).run.stats.assertions as { total: number; failed: number };
    const passed = stats.total - stats.failed;
    console.log(`Microsoft conformance: ${passed}/${stats.total} assertions passed`);
    if (passed < 103) console.log(output);
    expect(stats.total).toBe(107);
    expect(passed).toBeGreaterThanOrEqual(103);
  }, 300_000);

  test("Okta's SCIM 2.0 SPEC test: 53 of 53", async () => {
    const tenant = newTenant("okta-conformance");
    const output = await run(["sh", join(SHARED, "run-okta.sh"), tenant.tenantUrl, tenant.token]);
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(output);
    console.log(`Okta conformance: ${summary?.[0] ?? "no summary"}`);
    if (!summary || summary[2] !== "0") console.log(output);
    expect(summary).not.toBeNull();
    expect(Number(summary![1])).toBe(53);
    expect(Number(summary![2])).toBe(0);
  }, 300_000);
});
