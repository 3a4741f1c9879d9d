// Two scimd builds (or one build with two settings) measured side by side: both serve at once, and rounds
// of lookups or PATCHes alternate between them, so a noisy machine weighs on both alike. Prints each side's
// server CPU per request and its rate (requests a second), round by round, and the medians, then B's rate
// against A's in each round. For telling whether a change is worth its code.
//   bun bench/side-by-side.ts [--a PATH] [--b PATH] [--a-env KEY=VALUE]… [--b-env KEY=VALUE]… [--mode lookup|patch|members]
//                             [--rounds N] [--per N] [--users N]
// PATH is a checkout (its src/index.ts runs under this Bun) or a compiled binary; both default to this checkout.
// --mode members: PATCHes adding 100 users each (Entra's body), every round into a group of its own.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { activeBody, addMembersBody, createUserBody, GROUP_BODY, lookupQuery, renameBody, userName } from "./bodies";
import { drive } from "./load";
import { startScimd } from "./servers";

const USAGE = `bun bench/side-by-side.ts [--a PATH] [--b PATH] [--a-env KEY=VALUE]… [--b-env KEY=VALUE]… [--mode lookup|patch|members] [--rounds N] [--per N] [--users N]`;

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
      case "--mode": { const mode = value(); o.mode = mode === "patch" || mode === "members" ? mode : "lookup"; break; }
      case "--rounds": o.rounds = count(); break;
      case "--per": o.per = count(); break;
      case "--users": o.users = count(); break;
      default: console.error(USAGE); process.exit(2);
    }
  }
  return o;
}

const commandOf = (path: string) => (statSync(path).isDirectory() ? [process.execPath, join(path, "src/index.ts")] : [path]);

const MEMBERS_PER_PATCH = 100;

/** One empty group per round (displayNames are unique per tenant). */
async function groupsFor(target: Awaited<ReturnType<typeof startScimd>>, count: number): Promise<string[]> {
  const ids: string[] = [];
  const created = await drive({
    from: 0, to: count, concurrency: 1, deadline: Date.now() + 60_000, serverPid: target.pid, headers: target.headers, expect: 201,
    call: (i) => ({ url: `${target.tenantUrl}/Groups`, method: "POST", body: GROUP_BODY.replace("Bench Everyone", `Bench Round ${i}`) }),
    wantsBody: () => true,
    onResponse: (i, _res, body) => void (ids[i] = (JSON.parse(body) as { id: string }).id),
  });
  if (created.errors) throw new Error(`${created.errors} group creates failed`);
  return ids;
}

async function start(side: Side, users: number, mode: string, rounds: number, per: number) {
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
  if (mode === "members") {
    const groups = await groupsFor(target, rounds);
    const members = (i: number) => Array.from({ length: MEMBERS_PER_PATCH }, (_, k) => ids[(i * MEMBERS_PER_PATCH + k) % users] as string);
    const callFor = (round: number) => (i: number) => ({ url: `${target.tenantUrl}/Groups/${groups[round]}`, method: "PATCH", body: addMembersBody(members(i)) });
    return { side, target, callFor, expect: 204 };
  }
  if (mode === "patch") {
    // Every PATCH changes its user, in every round: a PATCH that changes nothing writes nothing, and costs less.
    // Request k goes to user k mod N; odd users are disabled and enabled in turn, even ones get a new name.
    const patch = (k: number) => {
      const user = k % users;
      const body = user % 2 ? activeBody(Math.floor(k / users) % 2 === 1) : renameBody(k);
      return { url: `${target.tenantUrl}/Users/${ids[user]}`, method: "PATCH", body };
    };
    return { side, target, callFor: (round: number) => (i: number) => patch(round * per + i), expect: 200 };
  }
  const call = (i: number) => ({ url: `${target.tenantUrl}/Users${lookupQuery(userName((i * 7919) % users))}`, method: "GET" });
  return { side, target, callFor: (_round: number) => call, expect: 200 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const o = options(process.argv.slice(2));
  const runs = [await start(o.a, o.users, o.mode, o.rounds + 2, o.per), await start(o.b, o.users, o.mode, o.rounds + 2, o.per)];
  const cpu: number[][] = [[], []];
  const main: number[][] = [[], []];
  const rate: number[][] = [[], []];
  try {
    // Two unmeasured rounds each first: the JIT's compilation belongs to neither side's figures.
    // Each round is a pair; which side goes first alternates, so neither gains from always following the other.
    for (let round = 0; round < o.rounds + 2; round++) {
      for (const k of round % 2 ? [1, 0] : [0, 1]) {
        const run = runs[k];
        const c = await drive({ from: 0, to: o.per, call: run.callFor(round), headers: run.target.headers, expect: run.expect, concurrency: 32, deadline: Date.now() + 120_000, serverPid: run.target.pid });
        if (c.errors) throw new Error(`${run.side.name}: ${c.errors} requests failed`);
        if (round >= 2) {
          cpu[k].push((c.serverCpuMs * 1000) / c.count);
          main[k].push((c.serverMainCpuMs * 1000) / c.count);
          rate[k].push(c.count / c.seconds);
        }
      }
    }
  } finally {
    for (const run of runs) await run.target.stop();
  }
  const what = { lookup: "lookups", patch: "PATCHes", members: `member PATCHes of ${MEMBERS_PER_PATCH}` }[o.mode];
  // The main thread alone is the steadier figure: the JIT's and the GC's helper threads come and go.
  console.log(`${what}: server CPU µs per request (all threads; main thread), ${o.rounds} alternating rounds of ${o.per}`);
  const rounds = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(" ");
  for (const [k, run] of runs.entries()) {
    const env = Object.entries(run.side.env).map(([key, v]) => ` ${key}=${v}`).join("");
    console.log(`${run.side.name} ${run.side.path}${env}: median ${median(cpu[k]).toFixed(1)} [${rounds(cpu[k])}]; main thread ${median(main[k]).toFixed(1)} [${rounds(main[k])}]`);
    console.log(`  requests/s: median ${median(rate[k]).toFixed(0)} [${rounds(rate[k])}]`);
  }
  // The two runs of one round met the same machine: their ratio drifts less than either rate does.
  const pairs = rate[1].map((b, i) => b / rate[0][i]);
  const percent = (x: number) => `${x >= 1 ? "+" : ""}${((x - 1) * 100).toFixed(1)} %`;
  console.log(`B's rate against A's, round by round: median ${percent(median(pairs))} [${pairs.map(percent).join(", ")}]`);
}

main().catch((error: unknown) => {
  console.error(`side-by-side: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
