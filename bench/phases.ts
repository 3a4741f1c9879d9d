// The measured phases. Each runs in rounds that alternate the two servers (bare, scimd / scimd, bare, …), so a
// noisy neighbour or a slow drift on the shared machine lands on both sides of every ratio alike.
import { addMembersBody, createUserBody, DISABLE_BODY, GROUP_BODY, lookupQuery, permutation, randomSequence, renameBody, userName } from "./bodies";
import { type Call, type Chunk, type DriveOptions, drive, merge, summarize, type Summary } from "./load";
import type { Target } from "./servers";

export interface Settings {
  users: number;
  operations: number;
  concurrency: number;
  rounds: number;
  /** Time bound of one phase (both servers together), seconds. */
  phaseSeconds: number;
}

export type Pair<T> = { scimd: T; bare: T };
type Ids = Map<Target, string[]>;

const MAX_ERRORS_SHOWN = 3;

function reporter(phase: string) {
  let shown = 0;
  return (_i: number, detail: string) => {
    if (shown++ < MAX_ERRORS_SHOWN) console.error(`  ! ${phase}: ${detail}`);
  };
}

/** Runs requests 0..count-1 of each target in `rounds` alternating rounds; returns the merged chunks. */
async function alternate(
  targets: Target[],
  s: Settings,
  count: number,
  rounds: number,
  run: (t: Target, from: number, to: number, deadline: number) => Promise<Chunk>,
): Promise<Map<Target, Chunk[]>> {
  const deadline = Date.now() + s.phaseSeconds * 1000;
  const chunks = new Map<Target, Chunk[]>(targets.map((t) => [t, []]));
  for (let r = 0; r < rounds; r++) {
    const from = Math.floor((r * count) / rounds);
    const to = Math.floor(((r + 1) * count) / rounds);
    const order = r % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) chunks.get(t)!.push(await run(t, from, to, deadline));
    process.stderr.write(r + 1 < rounds ? "." : "\n");
  }
  return chunks;
}

const pairOf = <T>(targets: Target[], f: (t: Target) => T): Pair<T> =>
  Object.fromEntries(targets.map((t) => [t.name, f(t)])) as Pair<T>;

/** A phase of plain requests (one `call` per index) in alternating rounds. */
function simple(
  targets: Target[],
  s: Settings,
  phase: string,
  count: number,
  expect: number,
  call: (t: Target, i: number) => Call,
  extra: Partial<DriveOptions> & { perTarget?: (t: Target) => Partial<DriveOptions> } = {},
) {
  const { perTarget, ...common } = extra;
  return alternate(targets, s, count, s.rounds, (t, from, to, deadline) =>
    drive({
      from,
      to,
      call: (i) => call(t, i),
      headers: t.headers,
      expect,
      concurrency: s.concurrency,
      deadline,
      serverPid: t.pid,
      onError: reporter(`${phase} on ${t.name}`),
      ...common,
      ...perTarget?.(t),
    }),
  );
}

/** Entra's Test Connection probe (a userName that matches nothing), not measured: it warms both JITs. */
export async function warmUp(targets: Target[], s: Settings) {
  const n = Math.min(2000, s.operations);
  await simple(targets, { ...s, phaseSeconds: 60 }, "warm-up", n, 200, (t, i) => ({
    method: "GET",
    url: `${t.tenantUrl}/Users${lookupQuery(`warmup-${i}-${crypto.randomUUID()}`)}`,
  }));
}

export async function creates(targets: Target[], s: Settings): Promise<{ summary: Pair<Summary>; ids: Ids }> {
  const bodies = Array.from({ length: s.users }, (_, i) => createUserBody(i));
  const ids: Ids = new Map(targets.map((t) => [t, new Array<string>(s.users)]));
  const chunks = await simple(targets, s, "create", s.users, 201, (t, i) => ({ method: "POST", url: `${t.tenantUrl}/Users`, body: bodies[i] }), {
    perTarget: (t) => ({
      onResponse: (i, res) => {
        const location = res.headers.get("location") ?? "";
        ids.get(t)![i] = location.slice(location.lastIndexOf("/") + 1);
      },
    }),
  });
  for (const t of targets) {
    const missing = ids.get(t)!.findIndex((id) => !id);
    if (missing >= 0) throw new Error(`${t.name}: user ${missing} was not created (errors or time bound); try fewer --users`);
  }
  return { summary: pairOf(targets, (t) => summarize(merge(chunks.get(t)!))), ids };
}

/**
 * Requests of the phase's own kind, not measured, on both servers, before its measured rounds: a server runs for
 * weeks, so the figures are its steady state, not the JIT compiling the phase's code paths for the first time.
 */
async function warmPhase(targets: Target[], s: Settings, phase: string, expect: number, calls: ((t: Target) => Call)[]) {
  if (!calls.length) return;
  await alternate(targets, { ...s, phaseSeconds: 120 }, calls.length, 1, (t, from, to, deadline) =>
    drive({ from, to, call: (i) => calls[i](t), headers: t.headers, expect, concurrency: s.concurrency, deadline, serverPid: t.pid, onError: reporter(`${phase} warm-up on ${t.name}`) }),
  );
}

// As many as the phase measures, up to 20,000: scimd's JIT compiler thread stays busy that long. Over the first
// 20,000 lookups of a fresh process it took 18 µs of each lookup's 104 µs of CPU, and 32 of a PATCH's 228; over
// the next 20,000, 2–3 µs. The bare server's few lines compile at once.
const warmCount = (s: Settings) => Math.min(20_000, Math.max(1000, s.operations));

/** GET /Users?filter=userName eq "…" for random existing users; every 500th answer is checked. */
export async function lookups(targets: Target[], s: Settings): Promise<Pair<Summary>> {
  const warmRandom = randomSequence(3);
  await warmPhase(targets, s, "lookup", 200, Array.from({ length: warmCount(s) }, () => {
    const query = lookupQuery(userName(Math.floor(warmRandom() * s.users)));
    return (t: Target) => ({ method: "GET", url: `${t.tenantUrl}/Users${query}` });
  }));
  const random = randomSequence(7);
  const picks = Array.from({ length: s.operations }, () => Math.floor(random() * s.users));
  const queries = picks.map((u) => lookupQuery(userName(u)));
  let wrong = 0;
  const chunks = await simple(targets, s, "lookup", s.operations, 200, (t, i) => ({ method: "GET", url: `${t.tenantUrl}/Users${queries[i]}` }), {
    wantsBody: (i) => i % 500 === 0,
    onResponse: (i, _res, body) => {
      if (!body) return;
      const list = JSON.parse(body) as { totalResults: number; Resources: { userName: string }[] };
      if (list.totalResults !== 1 || list.Resources[0]?.userName !== userName(picks[i])) wrong++;
    },
  });
  if (wrong) throw new Error(`lookup: ${wrong} spot-checked answers did not hold exactly the user asked for`);
  return pairOf(targets, (t) => summarize(merge(chunks.get(t)!)));
}

/** Entra's default PATCH shapes on distinct random users: disable (`"False"`) and a name change, alternately. */
export async function patches(targets: Target[], s: Settings, ids: Ids): Promise<Pair<Summary>> {
  const count = Math.min(s.operations, s.users);
  const order = permutation(s.users, 11);
  const bodies = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? DISABLE_BODY : renameBody(i)));
  // Warm-up PATCHes go to users the measured ones do not touch (the end of the same permutation), when there are any.
  const spare = Math.max(0, s.users - count);
  await warmPhase(targets, s, "patch", 200, Array.from({ length: Math.min(warmCount(s), spare) }, (_, i) => {
    const body = i % 2 === 0 ? DISABLE_BODY : renameBody(i);
    return (t: Target) => ({ method: "PATCH", url: `${t.tenantUrl}/Users/${ids.get(t)![order[s.users - 1 - i]]}`, body });
  }));
  let wrong = 0;
  const chunks = await simple(
    targets,
    s,
    "patch",
    count,
    200,
    (t, i) => ({ method: "PATCH", url: `${t.tenantUrl}/Users/${ids.get(t)![order[i]]}`, body: bodies[i] }),
    {
      wantsBody: (i) => i % 500 === 0 || i % 500 === 1,
      onResponse: (i, _res, body) => {
        if (!body) return;
        const user = JSON.parse(body) as { active: boolean; name: { givenName: string } };
        if (i % 2 === 0 ? user.active !== false : user.name.givenName !== `Renamed${i}`) wrong++;
      },
    },
  );
  if (wrong) throw new Error(`patch: ${wrong} spot-checked answers did not show the change`);
  return pairOf(targets, (t) => summarize(merge(chunks.get(t)!)));
}

export interface MemberFigures {
  /** Members per second over the concurrent PATCHes. */
  membersPerSecond: number;
  perPatch: Summary;
  /** Sequential PATCHes (no queueing) at the start (group of 0…1,000) and at the end (group of N-1,000…N). */
  firstPatchesMs: number[];
  lastPatchesMs: number[];
  /** members/s of each round of the concurrent part, in order: flat if the cost does not grow with group size. */
  roundMembersPerSecond: number[];
  groupId: string;
}

async function createGroup(t: Target, body: string): Promise<string> {
  const res = await fetch(`${t.tenantUrl}/Groups`, { method: "POST", headers: t.headers, body });
  const group = (await res.json()) as { id?: string };
  if (res.status !== 201 || !group.id) throw new Error(`${t.name}: group create → ${res.status} ${JSON.stringify(group)}`);
  return group.id;
}

/** One group per server grows to N members, in PATCHes of `batch` ids: 10 sequential, the bulk concurrent, 10 sequential. */
export async function members(targets: Target[], s: Settings, ids: Ids, batch = 100): Promise<Pair<MemberFigures>> {
  const patchCount = Math.ceil(s.users / batch);
  const probe = Math.min(10, Math.floor(patchCount / 3));
  const groups = new Map<Target, string>();
  const bodies = new Map<Target, string[]>();
  for (const t of targets) {
    const all = ids.get(t)!;
    // Warm-up, not measured: the member PATCH path of a scratch group (100 ids, added once, then no-ops).
    const scratch = await createGroup(t, GROUP_BODY.replace("Bench Everyone", "Bench Warm-up"));
    const warm = addMembersBody(all.slice(0, batch));
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${t.tenantUrl}/Groups/${scratch}`, { method: "PATCH", headers: t.headers, body: warm });
      await res.arrayBuffer();
      if (res.status !== 204) throw new Error(`${t.name}: warm-up member PATCH → ${res.status}`);
    }
    groups.set(t, await createGroup(t, GROUP_BODY));
    bodies.set(t, Array.from({ length: patchCount }, (_, b) => addMembersBody(all.slice(b * batch, (b + 1) * batch))));
  }
  const call = (t: Target, i: number): Call => ({ method: "PATCH", url: `${t.tenantUrl}/Groups/${groups.get(t)}`, body: bodies.get(t)![i] });
  const sequential = (t: Target, from: number, to: number) =>
    drive({ from, to, call: (i) => call(t, i), headers: t.headers, expect: 204, concurrency: 1, deadline: Date.now() + 60_000, serverPid: t.pid, onError: reporter(`members on ${t.name}`) });

  const first = new Map<Target, Chunk>();
  for (const t of targets) first.set(t, await sequential(t, 0, probe));
  const bulkCount = patchCount - 2 * probe;
  const bulk = await alternate(targets, s, bulkCount, s.rounds, (t, from, to, deadline) =>
    drive({
      from: probe + from,
      to: probe + to,
      call: (i) => call(t, i),
      headers: t.headers,
      expect: 204,
      concurrency: s.concurrency,
      deadline,
      serverPid: t.pid,
      onError: reporter(`members on ${t.name}`),
    }),
  );
  const last = new Map<Target, Chunk>();
  for (const t of targets) last.set(t, await sequential(t, patchCount - probe, patchCount));

  const sizeOf = (i: number) => Math.min(batch, s.users - i * batch);
  const bulkMembers = Array.from({ length: bulkCount }, (_, i) => sizeOf(probe + i)).reduce((a, b) => a + b, 0);
  return pairOf(targets, (t) => {
    const chunks = bulk.get(t)!;
    const merged = merge(chunks);
    return {
      membersPerSecond: (bulkMembers * (merged.count / Math.max(1, bulkCount))) / merged.seconds,
      perPatch: summarize(merged),
      firstPatchesMs: first.get(t)!.latencies,
      lastPatchesMs: last.get(t)!.latencies,
      roundMembersPerSecond: chunks.map((c) => (c.count * batch) / c.seconds),
      groupId: groups.get(t)!,
    };
  });
}
