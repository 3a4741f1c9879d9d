// Starts the two servers under test on free loopback ports, each with a fresh data directory.
import { spawn, type Subprocess } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");

/**
 * With --pin, each server under test runs on CPU 0 (all its threads: JIT and GC helpers count against it) and
 * the load generator on CPU 1, so the two do not preempt each other; unpinned, who gets which core is up to
 * the scheduler and the figures wander far more between runs.
 */
export const pinning = { servers: [] as string[] };

export function pinSelf(cpu: number) {
  const done = Bun.spawnSync(["taskset", "-a", "-cp", String(cpu), String(process.pid)], { stdout: "ignore", stderr: "pipe" });
  if (done.exitCode !== 0) throw new Error(`--pin: taskset failed: ${done.stderr.toString()}`);
  pinning.servers = ["taskset", "-c", "0"];
}

export interface Target {
  name: "scimd" | "bare";
  pid: number;
  /** Base of the SCIM paths: …/scim/v2/{tenantId} */
  tenantUrl: string;
  headers: Record<string, string>;
  stop(): Promise<void>;
}

export async function buildBinary(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), "bench-run-build-")), "scimd");
  const proc = spawn([process.execPath, "scripts/build.ts", out], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`build failed: ${await new Response(proc.stderr).text()}`);
  return out;
}

/** Reads stdout until `pattern` matches; keeps draining afterwards so the pipe never fills. */
async function waitFor(proc: Subprocess<"ignore", "pipe", "pipe">, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + 20_000;
  let text = "";
  for (;;) {
    const match = pattern.exec(text);
    if (match) break;
    if (Date.now() > deadline) throw new Error(`${what} did not start: ${text}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`${what} exited: ${text}${await new Response(proc.stderr).text()}`);
    text += decoder.decode(value);
  }
  void (async () => {
    while (!(await reader.read()).done);
  })();
  void new Response(proc.stderr).text();
  return pattern.exec(text)!;
}

/** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its data directory. */
const stopper = (proc: Subprocess, dir: string) => async () => {
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  await proc.exited;
  clearTimeout(timer);
  rmSync(dir, { recursive: true, force: true });
};

const jsonHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  "content-type": "application/scim+json",
  accept: "application/scim+json",
});

/** The command that serves: the compiled binary, or (for --profile DIR) the source under Bun's CPU profiler. */
export function scimdCommand(bin: string | undefined, profileDir: string | undefined): string[] | undefined {
  if (!profileDir) return bin ? [bin] : undefined;
  return [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${resolve(profileDir)}`, join(ROOT, "src/index.ts")];
}

/** `extraEnv`: more SCIMD_* settings for this server only (bench/side-by-side.ts). */
export async function startScimd(cmd: string[], extraEnv: Record<string, string> = {}): Promise<Target & { dataDir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-run-scimd-"));
  const env = {
    PATH: process.env.PATH ?? "",
    SCIMD_HOST: "127.0.0.1",
    SCIMD_PORT: "0",
    SCIMD_DATA_DIR: join(dir, "data"),
    SCIMD_RATE_LIMIT: "0",
    // SCIMD_REQUEST_LOG=0 in the bench's environment measures scimd without its provisioning log.
    ...(process.env.SCIMD_REQUEST_LOG ? { SCIMD_REQUEST_LOG: process.env.SCIMD_REQUEST_LOG } : {}),
    ...extraEnv,
  };
  const proc = spawn([...pinning.servers, ...cmd, "serve"], { cwd: dir, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const stop = stopper(proc, dir);
  try {
    await waitFor(proc, /listening on (http:\/\/127\.0\.0\.1:\d+)/, "scimd");
    const cli = [...cmd.filter((a) => !a.startsWith("--cpu-prof")), "tenant", "create", "--name", "bench"];
    const created = Bun.spawnSync(cli, { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
    if (created.exitCode !== 0) throw new Error(`tenant create failed: ${created.stderr.toString()}`);
    const tenant = JSON.parse(created.stdout.toString()) as { tenantUrl: string; token: string };
    return { name: "scimd", pid: proc.pid, tenantUrl: tenant.tenantUrl, headers: jsonHeaders(tenant.token), dataDir: env.SCIMD_DATA_DIR, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * `tenant`: a UUID by default, as scimd's tenant ids are, so that both servers see URLs of the same length
 * and store rows and index keys of the same size (a 5-character tenant made the bare server's inserts ~8 %
 * cheaper; ninth session).
 */
export async function startBare(tenant: string = crypto.randomUUID()): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "bench-run-bare-"));
  const token = crypto.randomUUID();
  const env = { PATH: process.env.PATH ?? "", BARE_PORT: "0", BARE_DATA_DIR: dir, BARE_TOKEN: token };
  const proc = spawn([...pinning.servers, process.execPath, join(import.meta.dir, "bare-server.ts")], { cwd: dir, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const stop = stopper(proc, dir);
  try {
    const [, origin] = await waitFor(proc, /listening on (http:\/\/127\.0\.0\.1:\d+)/, "bare server");
    return { name: "bare", pid: proc.pid, tenantUrl: `${origin}/scim/v2/${tenant}`, headers: jsonHeaders(token), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
