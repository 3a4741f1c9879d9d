// The entry point as a user starts it (`bun src/index.ts`) in a child process, on fresh data directories.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
export const freshDir = () => mkdtempSync(join(tmpdir(), "scimd-start-"));
const baseEnv = () => ({ PATH: process.env.PATH ?? "", SCIMD_HOST: "127.0.0.1" });

/** Runs a command that ends by itself (a CLI command, or a start that fails); killed after 10 s. */
export async function runEntry(args: string[], env: Record<string, string>, shell?: string) {
  const argv = [process.execPath, "src/index.ts", ...args];
  const cmd = shell ? ["bash", "-c", `${shell}; exec "$@"`, "bash", ...argv] : argv;
  const p = Bun.spawn(cmd, { cwd: ROOT, env: { ...baseEnv(), ...env }, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => p.kill(), 10_000);
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  return { out, err, code };
}

/** Starts the server and waits for its start-up lines (up to "API docs"). */
export async function serveEntry(env: Record<string, string>): Promise<{ text: string; stop(signal?: NodeJS.Signals): Promise<void> }> {
  const p = Bun.spawn([process.execPath, "src/index.ts"], { cwd: ROOT, env: { ...baseEnv(), ...env }, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => p.kill(), 10_000);
  let text = "";
  const decoder = new TextDecoder();
  const reader = p.stdout.getReader();
  while (!/API docs: .*\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  // SIGKILL stands in for a crash.
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    p.kill(signal);
    await p.exited;
    clearTimeout(timer);
  };
  return { text, stop };
}
