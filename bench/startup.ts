// Time from process start to the first 200 on /healthz, for the compiled binary (median of several runs).
// Run: node_modules/.bin/bun bench/startup.ts [--bin dist/scimd] [--runs 9]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary } from "../test/support/binary";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const bin = arg("--bin") ?? (await buildBinary());
const runs = Number(arg("--runs") ?? 9);

async function once(fresh: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-startup-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = { PATH: process.env.PATH ?? "", SCIMD_PORT: String(port), SCIMD_DATA_DIR: join(dir, "data"), SCIMD_HOST: "127.0.0.1" };
  if (!fresh) Bun.spawnSync([bin, "tenant", "list"], { env }); // migrate once, so the timed start opens an existing database
  const start = performance.now();
  const proc = Bun.spawn([bin, "serve"], { env, stdout: "ignore", stderr: "ignore" });
  const deadline = start + 10_000;
  let ms = Number.NaN;
  while (performance.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) {
      ms = performance.now() - start;
      break;
    }
    await Bun.sleep(1);
  }
  proc.kill("SIGTERM");
  await proc.exited;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fresh: number[] = [];
const existing: number[] = [];
for (let i = 0; i < runs; i++) {
  fresh.push(await once(true));
  existing.push(await once(false));
}
console.log(`binary: ${bin} (${(statSync(bin).size / 1024 / 1024).toFixed(1)} MiB)`);
console.log(`start → first 200 on /healthz, median of ${runs}: ${median(fresh).toFixed(0)} ms on an empty data directory, ${median(existing).toFixed(0)} ms on an existing database`);
console.log(`all runs (fresh): ${fresh.map((x) => x.toFixed(0)).join(", ")} ms`);
