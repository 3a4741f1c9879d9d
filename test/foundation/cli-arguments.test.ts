// The command line as an operator types it: a misspelt, repeated, valueless or extra argument is a usage error
// (exit 64, the usage text) that changes nothing, never silently ignored.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freshDir, runEntry } from "../support/entry";

const dataDir = freshDir();
const env = { SCIMD_DATA_DIR: dataDir };
const cli = async (...args: string[]) => {
  const r = await runEntry(args, env);
  if (r.code !== 0) throw new Error(`${args.join(" ")}: exit ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as unknown;
};
const tokenCount = async (tenant: string) => ((await cli("token", "list", tenant)) as unknown[]).length;

let tenant = "";
let jtis: string[] = [];
beforeAll(async () => {
  tenant = ((await cli("tenant", "create", "--name", "Args")) as { id: string }).id;
  jtis = [((await cli("token", "issue", tenant)) as { jti: string }).jti, ((await cli("token", "issue", tenant)) as { jti: string }).jti];
}, 20_000);

const refused = async (args: string[], message: RegExp) => {
  const r = await runEntry(args, env);
  expect({ args, code: r.code, out: r.out }).toEqual({ args, code: 64, out: "" });
  expect(r.err.split("\n")[0]).toMatch(message);
  expect(r.err).toContain("Usage:");
};

describe("arguments a command does not take are refused, and nothing is done", () => {
  // Found by a review: `--expires 60` (for --expires-in) was ignored, and the token issued never expired.
  test("an unknown option", async () => {
    const before = await tokenCount(tenant);
    await refused(["token", "issue", tenant, "--expires", "60"], /^scimd: token issue does not take --expires; it takes --expires-in, --description$/);
    await refused(["tenant", "list", "--all"], /^scimd: tenant list does not take --all; it takes no options$/);
    expect(await tokenCount(tenant)).toBe(before);
  }, 20_000);

  test("an option given twice", async () => {
    const before = await tokenCount(tenant);
    await refused(["token", "issue", tenant, "--expires-in", "60", "--expires-in=3600"], /^scimd: --expires-in is given twice$/);
    expect(await tokenCount(tenant)).toBe(before);
  }, 20_000);

  // It used to become the text "true".
  test("an option without its value", async () => {
    const before = await tokenCount(tenant);
    await refused(["token", "issue", tenant, "--description"], /^scimd: --description needs a value/);
    await refused(["token", "issue", tenant, "--description", "--expires-in", "60"], /^scimd: --description needs a value/);
    expect(await tokenCount(tenant)).toBe(before);
  }, 20_000);

  test("a value given to a switch", async () => {
    await refused(["rekey", "--decrypt=yes"], /^scimd: --decrypt takes no value$/);
  }, 20_000);

  // `token revoke T JTI1 JTI2` revoked the first and said nothing of the second.
  test("more positional arguments than the command takes", async () => {
    await refused(["token", "revoke", tenant, jtis[0]!, jtis[1]!], /^scimd: token revoke takes 2 arguments, not 3/);
    const listed = (await cli("token", "list", tenant)) as { jti: string; revoked: unknown }[];
    expect(listed.filter((t) => jtis.includes(t.jti)).map((t) => t.revoked)).toEqual([null, null]);
    await refused(["tenant", "delete", tenant, "extra"], /^scimd: tenant delete takes 1 argument, not 2/);
    expect(((await cli("tenant", "list")) as { id: string }[]).map((t) => t.id)).toContain(tenant);
  }, 20_000);

  // `scimd serve --port 9090` started on SCIMD_PORT as if nothing had been said.
  test("serve takes no arguments: its settings are environment variables", async () => {
    await refused(["serve", "--port", "9090"], /^scimd: serve takes no arguments; set SCIMD_HOST, SCIMD_PORT and the other variables instead$/);
  }, 20_000);

  test("an option value may be given as --name value or --name=value, and may start with a dash", async () => {
    const a = (await cli("token", "issue", tenant, "--description=-from cron", "--expires-in", "60")) as { jti: string };
    const b = (await cli("token", "issue", tenant, "--expires-in=60", "--description", "-from cron")) as { jti: string };
    const listed = (await cli("token", "list", tenant)) as { jti: string; description: string }[];
    expect(listed.filter((t) => t.jti === a.jti || t.jti === b.jti).map((t) => t.description)).toEqual(["-from cron", "-from cron"]);
  }, 20_000);

  // A typo such as `scimd --hepl` opened (and so created) ./data before it was found to be no command.
  test("an unknown command leaves no data directory behind", async () => {
    const dir = join(freshDir(), "data");
    for (const args of [["--hepl"], ["tenant"], ["tenant", "lsit"]]) {
      const r = await runEntry(args, { SCIMD_DATA_DIR: dir });
      expect({ args, code: r.code, first: r.err.split("\n")[0] }).toEqual({ args, code: 64, first: `scimd: unknown command: ${args.join(" ")}` });
    }
    expect(existsSync(dir)).toBe(false);
  }, 20_000);
});

describe("option values out of bounds", () => {
  // Found by a review: the admin API allows an overlap of up to 30 days, the CLI took any number: 10,000 years
  // left the old key working for good (a rotation after a leak did nothing), and more crashed with a stack trace.
  test("key rotate --overlap beyond 30 days is refused, as by the admin API, and no key is rotated", async () => {
    const keys = async () => ((await cli("token", "list", tenant)) as { kid: string; keyRetired: string | null }[]).map((t) => [t.kid, t.keyRetired]);
    const before = await keys();
    for (const overlap of ["2592001", "315360000000", "99999999999999999"]) {
      await refused(["key", "rotate", tenant, "--overlap", overlap], /^scimd: --overlap must be from 0 to 2592000 seconds \(30 days\)$/);
    }
    expect(await keys()).toEqual(before);
    expect(await cli("key", "rotate", tenant, "--overlap", "2592000")).toMatchObject({ overlapSeconds: 2592000 });
  }, 20_000);
});
