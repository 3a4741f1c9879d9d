// The load generator: a fixed number of keep-alive fetch workers over pre-built requests, bounded in count and
// time. It measures wall time, per-request latency, and the CPU time the server process and this process spent.
import { readFileSync } from "node:fs";

export interface Call {
  url: string;
  method: string;
  body?: string;
}

export interface Chunk {
  count: number;
  errors: number;
  seconds: number;
  latencies: number[];
  serverCpuMs: number;
  /** The server's main thread alone (the one that answers requests): without its JIT and GC helper threads. */
  serverMainCpuMs: number;
  clientCpuMs: number;
  timedOut: boolean;
}

export interface DriveOptions {
  /** Requests to send: indexes from..to-1 of `call`. */
  from: number;
  to: number;
  call: (i: number) => Call;
  headers: Record<string, string>;
  expect: number;
  concurrency: number;
  /** Absolute time (Date.now()) after which no new request is started. */
  deadline: number;
  serverPid: number;
  /** Called with each expected response (e.g. to keep the created id); the body is read already. */
  onResponse?: (i: number, res: Response, body: string) => void;
  /** Whether the body of request i should be read as text for onResponse (else it is drained as bytes). */
  wantsBody?: (i: number) => boolean;
  onError?: (i: number, detail: string) => void;
}

const TICK_MS = 1000 / 100; // /proc/<pid>/stat counts in USER_HZ, 100 on Linux

/** utime + stime of a process, in ms; with `tid`, of that thread of it alone. */
export function processCpuMs(pid: number, tid?: number): number {
  const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Peak and current resident set of a process, in MB (VmHWM, VmRSS). */
export function memoryMb(pid: number): { peak: number; current: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { peak: kb("VmHWM") / 1024, current: kb("VmRSS") / 1024 };
}

const clientCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function drive(o: DriveOptions): Promise<Chunk> {
  const latencies: number[] = [];
  let next = o.from;
  let errors = 0;
  let timedOut = false;
  const server0 = processCpuMs(o.serverPid);
  const main0 = processCpuMs(o.serverPid, o.serverPid);
  const client0 = clientCpuMs();
  const t0 = performance.now();

  async function worker() {
    for (;;) {
      if (next >= o.to) return;
      if (Date.now() > o.deadline) {
        timedOut = true;
        return;
      }
      const i = next++;
      const c = o.call(i);
      const start = performance.now();
      try {
        const res = await fetch(c.url, { method: c.method, headers: o.headers, body: c.body });
        const text = o.wantsBody?.(i) || res.status !== o.expect ? await res.text() : (await res.arrayBuffer(), "");
        latencies.push(performance.now() - start);
        if (res.status === o.expect) o.onResponse?.(i, res, text);
        else {
          errors++;
          o.onError?.(i, `${c.method} ${c.url} → ${res.status} ${text.slice(0, 300)}`);
        }
      } catch (error) {
        errors++;
        o.onError?.(i, `${c.method} ${c.url} → ${(error as Error).message}`);
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return {
    count: latencies.length,
    errors,
    seconds: (performance.now() - t0) / 1000,
    latencies,
    serverCpuMs: processCpuMs(o.serverPid) - server0,
    serverMainCpuMs: processCpuMs(o.serverPid, o.serverPid) - main0,
    clientCpuMs: clientCpuMs() - client0,
    timedOut,
  };
}

export function merge(chunks: Chunk[]): Chunk {
  return {
    count: chunks.reduce((s, c) => s + c.count, 0),
    errors: chunks.reduce((s, c) => s + c.errors, 0),
    seconds: chunks.reduce((s, c) => s + c.seconds, 0),
    latencies: chunks.flatMap((c) => c.latencies),
    serverCpuMs: chunks.reduce((s, c) => s + c.serverCpuMs, 0),
    serverMainCpuMs: chunks.reduce((s, c) => s + c.serverMainCpuMs, 0),
    clientCpuMs: chunks.reduce((s, c) => s + c.clientCpuMs, 0),
    timedOut: chunks.some((c) => c.timedOut),
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Summary {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUsPerRequest: number;
  clientCpuUsPerRequest: number;
  timedOut: boolean;
}

export function summarize(c: Chunk): Summary {
  const sorted = Float64Array.from(c.latencies).sort();
  return {
    requests: c.count,
    errors: c.errors,
    seconds: c.seconds,
    perSecond: c.count / c.seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    serverCpuUsPerRequest: (c.serverCpuMs * 1000) / Math.max(1, c.count),
    clientCpuUsPerRequest: (c.clientCpuMs * 1000) / Math.max(1, c.count),
    timedOut: c.timedOut,
  };
}
