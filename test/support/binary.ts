// Builds dist/scimd once per test run (the real `npm run build` script) and starts it like a user would.
import { spawn, type Subprocess } from "bun";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
let built: Promise<string> | undefined;

export function buildBinary(): Promise<string> {
  built ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), "scimd-build-")), "scimd");
    const proc = spawn([process.execPath, "scripts/build.ts", out], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    if ((await proc.exited) !== 0) throw new Error(`build failed: ${await new Response(proc.stderr).text()}`);
    return out;
  })();
  return built;
}

/** Copies the binary alone into an empty directory: proof that it needs nothing beside it. */
export async function isolatedBinary(): Promise<{ dir: string; bin: string }> {
  const dir = mkdtempSync(join(tmpdir(), "scimd-bin-"));
  const bin = join(dir, "scimd");
  copyFileSync(await buildBinary(), bin);
  Bun.spawnSync(["chmod", "+x", bin]);
  return { dir, bin };
}

export interface RunningServer {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  adminToken: string | undefined;
  env: Record<string, string>;
  output: () => string;
  stop(): Promise<number>;
}

/** Starts `scimd serve` on a free loopback port and waits for its "listening on" line. */
export async function startBinary(bin: string, cwd: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const fullEnv = { PATH: process.env.PATH ?? "", SCIMD_HOST: "127.0.0.1", SCIMD_PORT: "0", SCIMD_DATA_DIR: join(cwd, "data"), ...env };
  const proc = spawn([bin, "serve"], { cwd, env: fullEnv, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let text = "";
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + 20_000;
  // "API docs" is the last start-up line; wait for its newline so nothing before it is cut.
  while (!/listening on (\S+)/.test(text) || !/API docs: .*\n/.test(text)) {
    if (Date.now() > deadline) throw new Error(`server did not start: ${text}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`server exited: ${text}${await new Response(proc.stderr).text()}`);
    text += decoder.decode(value);
  }
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value);
    }
  })();
  const url = /listening on (\S+)/.exec(text)![1];
  const adminToken = /Admin token[^:]*: (\S+)/.exec(text)?.[1];
  return {
    proc,
    url,
    adminToken,
    env: fullEnv,
    output: () => text,
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}

/** Runs a CLI command of the binary with the server's environment; returns parsed JSON stdout. */
export function cli(bin: string, cwd: string, env: Record<string, string>, args: string[]) {
  const res = Bun.spawnSync([bin, ...args], { cwd, env, stdout: "pipe", stderr: "pipe" });
  return { code: res.exitCode, stdout: res.stdout.toString(), stderr: res.stderr.toString() };
}
