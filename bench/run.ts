// A first benchmark (issue 3 §4): scimd against a bare Bun.serve + bun:sqlite server, same load, same run.
//   bun bench/run.ts [--users N] [--quick] [--bin PATH] [--json FILE] [--concurrency C] [--operations N]
// Prints figures; it is not a test. Only 127.0.0.1 is ever addressed; every loop is bounded in count and time.
import { Database } from "bun:sqlite";
import { rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { memoryMb } from "./load";
import { creates, lookups, type MemberFigures, members, patches, type Settings, warmUp } from "./phases";
import { cpuTable, markdownTable, tableRows } from "./report";
import { buildBinary, pinSelf, scimdCommand, startBare, startScimd, type Target } from "./servers";

const TARGETS = { creates: 0.5, lookups: 0.6, patches: 0.5, membersPerSecond: 50_000, peakRssMb: 200 };

const USAGE = `usage: bun bench/run.ts [options]
  --users N         users to create (default 100000)
  --quick           10,000 users and 5,000 lookups/PATCHes: a fast check
  --operations N    lookups and PATCHes per server (default 20000)
  --concurrency C   requests in flight from the load generator (default 32)
  --bin PATH        use this scimd binary instead of building one
  --json FILE       also write the raw figures as JSON
  --profile DIR     run scimd from source under Bun's CPU profiler; the profile (.cpuprofile and .md) goes to DIR
  --pin             servers on CPU 0, this load generator on CPU 1 (taskset): the stricter view of the ratios`;

function options(argv: string[]) {
  const o = { users: 100_000, operations: 20_000, concurrency: 32, bin: undefined as string | undefined, json: undefined as string | undefined, profile: undefined as string | undefined, pin: false };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value\n${USAGE}`);
      return v;
    };
    const count = (name: string, min: number) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}`);
      return n;
    };
    switch (argv[i]) {
      case "--users": o.users = count("--users", 1000); break;
      case "--quick": o.users = 10_000; o.operations = 5_000; break;
      case "--operations": o.operations = count("--operations", 100); break;
      case "--concurrency": o.concurrency = count("--concurrency", 1); break;
      case "--bin": o.bin = value(); break;
      case "--json": o.json = value(); break;
      case "--profile": o.profile = value(); break;
      case "--pin": o.pin = true; break;
      case "--help": case "-h": console.log(USAGE); process.exit(0);
      default: throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  return o;
}

/** The figures count only if the work was done: every user stored, every member in the one group. */
function checkDatabase(dataDir: string, users: number, groupId: string) {
  const db = new Database(join(dataDir, "scimd.sqlite"), { readonly: true });
  try {
    const n = (sql: string, ...params: string[]) => (db.query(sql).get(...params) as { n: number }).n;
    const stored = n("SELECT count(*) AS n FROM users");
    const memberships = n("SELECT count(*) AS n FROM group_members WHERE group_id = ?", groupId);
    if (stored !== users || memberships !== users) throw new Error(`scimd stored ${stored} users and ${memberships} members; expected ${users} of each`);
    console.log(`check: scimd's database holds ${stored.toLocaleString("en-US")} users and a group of ${memberships.toLocaleString("en-US")} members`);
  } finally {
    db.close();
  }
}

async function main() {
  const o = options(process.argv.slice(2));
  const settings: Settings = { users: o.users, operations: o.operations, concurrency: o.concurrency, rounds: 10, phaseSeconds: 900 };
  const cores = availableParallelism();
  console.log(`scimd benchmark: ${o.users.toLocaleString("en-US")} users, ${o.operations.toLocaleString("en-US")} lookups and PATCHes, ${o.concurrency} requests in flight`);
  console.log(`machine: ${cores} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} at start`);
  console.log(
    `note: the load generator (this process, keep-alive fetch, pre-built bodies) shares the ${cores} cores with the server under test;\n` +
      "      rates are capped by both, so read the ratios (same client, same run, rounds alternating) more than the absolute figures.",
  );

  if (o.pin) {
    pinSelf(1);
    console.log("pinned: servers on CPU 0, load generator on CPU 1");
  }
  const built = o.bin || o.profile ? undefined : (console.log("building the binary…"), await buildBinary());
  const cmd = scimdCommand(o.bin ?? built, o.profile)!;
  if (o.profile) console.log(`profiling: scimd runs from source under --cpu-prof (slower than the binary); profile in ${o.profile}`);
  const targets: Target[] = [];
  try {
    const bare = await startBare();
    targets.push(bare);
    const scimd = await startScimd(cmd);
    targets.push(scimd);
    console.log(`scimd ${scimd.tenantUrl} (pid ${scimd.pid}); bare ${bare.tenantUrl} (pid ${bare.pid})`);

    const step = (what: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${what}`);
    step("warm-up (not measured)…");
    await warmUp(targets, settings);
    step("creates…");
    const created = await creates(targets, settings);
    const rssAfterCreates = memoryMb(scimd.pid);
    step("lookups…");
    const found = await lookups(targets, settings);
    step("PATCHes…");
    const patched = await patches(targets, settings, created.ids);
    step("member additions…");
    const grown = await members(targets, settings, created.ids);
    const rss = { scimd: memoryMb(scimd.pid), bare: memoryMb(bare.pid) };
    step("done");
    checkDatabase(scimd.dataDir, o.users, grown.scimd.groupId);

    const rows = tableRows({ users: o.users, created: created.summary, found, patched, grown, rss, rssAfterCreates }, TARGETS);
    const m = grown.scimd;
    const phases = { creates: created.summary, lookups: found, patches: patched, "member PATCHes": { scimd: m.perPatch, bare: grown.bare.perPatch } };
    console.log(`\n${markdownTable(rows)}\n`);
    const perRound = (f: MemberFigures) => f.roundMembersPerSecond.map((r) => Math.round(r).toLocaleString("en-US")).join(", ");
    console.log(`member additions per round of the concurrent part (the group grows by a tenth each round), members/s:\n  scimd ${perRound(m)}\n  bare  ${perRound(grown.bare)}`);
    console.log(`\nCPU time per request (from /proc/<pid>/stat; 10 ms ticks):\n${cpuTable(phases)}\n`);
    const errors = Object.values(phases).reduce((n, p) => n + p.scimd.errors + p.bare.errors, 0);
    const timedOut = Object.values(phases).some((p) => p.scimd.timedOut || p.bare.timedOut);
    if (errors) console.log(`errors: ${errors} requests did not get the expected status (see above)`);
    if (timedOut) console.log("time bound reached: some phases stopped early; their rates cover the requests done");
    console.log("context: the best SCIM servers measured here reach ~1 % of the bare stack (151 Entra-mix requests/s against ~19,800).");
    console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

    if (o.json) {
      const raw = { date: new Date().toISOString(), machine: { cores, loadavg: loadavg() }, settings, targets: TARGETS, phases, members: grown, rss, rssAfterCreates, errors };
      writeFileSync(o.json, JSON.stringify(raw, (_k, v) => (Array.isArray(v) && v.length > 50 && typeof v[0] === "number" ? undefined : v), 2));
      console.log(`raw figures: ${o.json}`);
    }
  } finally {
    for (const t of targets.reverse()) await t.stop();
    if (built) rmSync(dirname(built), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
