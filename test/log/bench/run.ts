// Cost of recording: N requests per workload against a real listening server in its own process, with and
// without the recorder. `bun test/log/bench/run.ts [N] [CONCURRENCY]`
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const N = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const ADMIN = { authorization: "Bearer bench-admin-token-0123456789", "content-type": "application/json" };

async function start(mode: string) {
  const dir = mkdtempSync(join(tmpdir(), `scimd-bench-${mode}-`));
  const proc = Bun.spawn(["node_modules/.bin/bun", join(import.meta.dir, "server.ts"), mode, dir], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!line.includes("\n")) line += (await reader.read()).value ?? "";
  const { url } = JSON.parse(line) as { url: string };
  const t = (await (await fetch(`${url}/admin/v1/tenants`, { method: "POST", headers: ADMIN, body: JSON.stringify({ name: "b" }) })).json()) as { id: string; token: string };
  const scim = { authorization: `Bearer ${t.token}`, "content-type": "application/scim+json" };
  const base = `${url}/scim/v2/${t.id}`;
  const user = (await (await fetch(`${base}/Users`, { method: "POST", headers: scim, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "u@x" }) })).json()) as { id: string };
  return { proc, dir, base, scim, userId: user.id };
}

type Target = Awaited<ReturnType<typeof start>>;
const workloads: Record<string, (t: Target, i: number) => Promise<Response>> = {
  "GET lookup": (t) => fetch(`${t.base}/Users?filter=${encodeURIComponent('userName eq "u@x"')}`, { headers: t.scim }),
  "PATCH active": (t, i) =>
    fetch(`${t.base}/Users/${t.userId}`, {
      method: "PATCH",
      headers: t.scim,
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: i % 2 ? "False" : "True" }] }),
    }),
};

// utime + stime of the server process, in clock ticks (1/100 s).
const cpuTicks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

async function run(t: Target, send: (t: Target, i: number) => Promise<Response>) {
  const cpu0 = cpuTicks(t.proc.pid);
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        const t0 = performance.now();
        const res = await send(t, i);
        await res.arrayBuffer();
        if (res.status >= 300) throw new Error(`status ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Bun.sleep(400); // the last batch is written on the 250 ms timer
  const cpuMicros = ((cpuTicks(t.proc.pid) - cpu0) * 10_000) / N;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(2);
  return { rps: Math.round(N / seconds), p50: p(0.5), p99: p(0.99), cpu: cpuMicros.toFixed(0) };
}

// Alternating rounds: the host's load drifts, and medians of alternated runs hold up better than one pair.
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
for (const [name, send] of Object.entries(workloads)) {
  const results: Record<string, { rps: number[]; cpu: number[]; p99: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ["without", "with"]) {
      const t = await start(mode);
      await run(t, send); // warm-up
      const r = await run(t, send);
      t.proc.kill("SIGTERM");
      await t.proc.exited;
      rmSync(t.dir, { recursive: true, force: true });
      const m = (results[mode] ??= { rps: [], cpu: [], p99: [] });
      m.rps.push(r.rps);
      m.cpu.push(Number(r.cpu));
      m.p99.push(Number(r.p99));
      console.log(`${name.padEnd(13)} ${mode.padEnd(8)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  server CPU ${r.cpu} µs/request`);
    }
  }
  const w = results.with!;
  const wo = results.without!;
  console.log(
    `${name}: median without ${median(wo.rps)} req/s, ${median(wo.cpu)} µs CPU/request; with ${median(w.rps)} req/s, ` +
      `${median(w.cpu)} µs CPU/request → throughput ×${(median(w.rps) / median(wo.rps)).toFixed(2)}, CPU +${median(w.cpu) - median(wo.cpu)} µs/request`,
  );
}
