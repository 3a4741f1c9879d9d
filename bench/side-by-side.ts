// Two scimd builds (or one build with two settings) measured side by side: both serve at once, and rounds
// of lookups or PATCHes alternate between them, so a noisy machine weighs on both alike. Prints each side's
// server CPU per request, round by round, and the medians. For telling whether a change is worth its code.
//   bun bench/side-by-side.ts [--a PATH] [--b PATH] [--a-env KEY=VALUE]… [--b-env KEY=VALUE]… [--mode lookup|patch]
//                             [--rounds N] [--per N] [--users N]
// PATH is a checkout (its src/index.ts runs under this Bun) or a compiled binary; both default to this checkout.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createUserBody, DISABLE_BODY, lookupQuery, renameBody, userName } from "./bodies";
import { drive } from "./load";
import { startScimd } from "./servers";

const USAGE = `bun bench/side-by-side.ts [--a PATH] [--b PATH] [--a-env KEY=VALUE]… [--b-env KEY=VALUE]… [--mode lookup|patch] [--rounds N] [--per N] [--users N]`;

interface Side {
  name: string;
  path: string;
  env: Record<string, string>;
}

function options(argv: string[]) {
  const here = resolve(import.meta.dir, "..");
  const o = { a: { name: "A", path: here, env: {} } as Side, b: { name: "B", path: here, env: {} } as Side, mode: "lookup", rounds: 10, per: 8000, users: 2000 };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? (console.error(USAGE), process.exit(2));
    const count = () => Math.max(1, Number.parseInt(value(), 10) || 1);
    switch (argv[i]) {
      case "--a": o.a.path = resolve(value()); break;
      case "--b": o.b.path = resolve(value()); break;
      case "--a-env": { const [k, ...v] = value().split("="); o.a.env[k] = v.join("="); break; }
      case "--b-env": { const [k, ...v] = value().split("="); o.b.env[k] = v.join("="); break; }
      case "--mode": o.mode = value() === "patch" ? "patch" : "lookup"; break;
      case "--rounds": o.rounds = count(); break;
      case "--per": o.per = count(); break;
      case "--users": o.users = count(); break;
      default: console.error(USAGE); process.exit(2);
    }
  }
  return o;
}

const commandOf = (path: string) => (statSync(path).isDirectory() ? [process.execPath, join(path, "src/index.ts")] : [path]);

async function start(side: Side, users: number, mode: string) {
  if (!existsSync(side.path)) throw new Error(`no such build: ${side.path}`);
  const target = await startScimd(commandOf(side.path), side.env);
  const ids: string[] = [];
  const created = await drive({
    from: 0, to: users, concurrency: 16, deadline: Date.now() + 120_000, serverPid: target.pid, headers: target.headers, expect: 201,
    call: (i) => ({ url: `${target.tenantUrl}/Users`, method: "POST", body: createUserBody(i) }),
    wantsBody: () => true,
    onResponse: (i, _res, body) => void (ids[i] = (JSON.parse(body) as { id: string }).id),
  });
  if (created.errors) throw new Error(`${side.name}: ${created.errors} creates failed`);
  const call = mode === "patch"
    ? (i: number) => ({ url: `${target.tenantUrl}/Users/${ids[i % users]}`, method: "PATCH", body: i % 2 ? DISABLE_BODY : renameBody(i % users) })
    : (i: number) => ({ url: `${target.tenantUrl}/Users${lookupQuery(userName((i * 7919) % users))}`, method: "GET" });
  return { side, target, call };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const o = options(process.argv.slice(2));
  const runs = [await start(o.a, o.users, o.mode), await start(o.b, o.users, o.mode)];
  const cpu: number[][] = [[], []];
  try {
    // Two unmeasured rounds each first: the JIT's compilation belongs to neither side's figures.
    for (let round = 0; round < o.rounds + 2; round++) {
      for (const [k, run] of runs.entries()) {
        const c = await drive({ from: 0, to: o.per, call: run.call, headers: run.target.headers, expect: 200, concurrency: 32, deadline: Date.now() + 120_000, serverPid: run.target.pid });
        if (c.errors) throw new Error(`${run.side.name}: ${c.errors} requests failed`);
        if (round >= 2) cpu[k].push((c.serverCpuMs * 1000) / c.count);
      }
    }
  } finally {
    for (const run of runs) await run.target.stop();
  }
  console.log(`${o.mode === "patch" ? "PATCHes" : "lookups"}: server CPU µs per request, ${o.rounds} alternating rounds of ${o.per}`);
  for (const [k, run] of runs.entries()) {
    const env = Object.entries(run.side.env).map(([key, v]) => ` ${key}=${v}`).join("");
    console.log(`${run.side.name} ${run.side.path}${env}: median ${median(cpu[k]).toFixed(1)} [${cpu[k].map((x) => x.toFixed(0)).join(" ")}]`);
  }
}

main().catch((error: unknown) => {
  console.error(`side-by-side: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
