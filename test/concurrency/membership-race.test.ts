// Member PATCHes of one group in Entra's shapes (entra.md), PUTs of the group and DELETEs of some of the users
// named, all in flight at once over a real listening server. Whatever order the server took them in, the outcome
// must be the one of some serial order of the acknowledged requests:
// - each PATCH and PUT answers the members it left (`?attributes=members`: the PATCH bodies are Entra's, the
//   answer is not the 204 Entra gets) and the version it made or found; replayed in version order, each answer
//   follows from the one before by one of the requests that answered that version;
// - the version changes iff the membership does (RFC 7644 §3.14): one version, one member list, and no PATCH
//   makes a version without changing a member (a PUT makes one whatever it changes);
// - no member row names a deleted user, and each user's `groups` agrees with the group's members.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rng } from "../http/client";
import { type Doc, GROUP, type LiveClient, liveClient, patchOp, type Reply, versionOf } from "./live-client";

let c: LiveClient;
beforeAll(async () => {
  c = await liveClient();
});
afterAll(() => c.server.stop());

type Op = { kind: "add" | "remove"; ids: string[] } | { kind: "put"; ids: string[] } | { kind: "delete"; id: string };

/** The members among `kept` after `op`: deleted users are left out of the model (they end in no group). */
function apply(op: Op, members: Set<string>, kept: Set<string>): Set<string> {
  const named = op.kind === "delete" ? [] : op.ids.filter((id) => kept.has(id));
  if (op.kind === "add") return new Set([...members, ...named]);
  if (op.kind === "remove") return new Set([...members].filter((m) => !named.includes(m)));
  if (op.kind === "put") return new Set(named);
  return members;
}

const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

function send(groupId: string, op: Op, i: number): Promise<Reply> {
  if (op.kind === "delete") return c.send("DELETE", `/Users/${op.id}`);
  const path = `/Groups/${groupId}?attributes=members`;
  if (op.kind === "put") return c.send("PUT", path, { schemas: [GROUP], displayName: "race group", members: op.ids.map((value) => ({ value })) });
  if (op.kind === "add") return c.send("PATCH", path, patchOp({ op: "Add", path: "members", value: op.ids.map((value) => ({ $ref: null, value })) }));
  // Entra's two remove shapes: the default one and the one of ?aadOptscim062020.
  if (i % 2) return c.send("PATCH", path, patchOp({ op: "Remove", path: "members", value: op.ids.map((value) => ({ value })) }));
  return c.send("PATCH", `${path}&aadOptscim062020`, patchOp(...op.ids.map((id) => ({ op: "remove", path: `members[value eq "${id}"]` }))));
}

const memberIds = (r: Reply) => ((r.body.members ?? []) as Doc[]).map((m) => String(m.value)).sort();

test("adds, removes, PUTs and user DELETEs at once: the members and versions of a serial order; no dangling member", async () => {
  const users = await Promise.all(Array.from({ length: 18 }, (_, i) => c.created("/Users", { userName: `member-race-${i}@example.com` })));
  const ids = users.map((u) => String(u.id));
  const doomed = ids.slice(12);
  const kept = new Set(ids.slice(0, 12));
  const group = await c.created("/Groups", { displayName: "race group" });
  const groupId = String(group.id);

  const random = rng(20261203);
  const pick = (n: number) => Array.from({ length: n }, () => random.pick(ids));
  const ops: Op[] = [];
  for (let i = 0; i < 48; i++) {
    const r = random.next();
    ops.push(r < 0.5 ? { kind: "add", ids: pick(1 + random.int(4)) } : r < 0.9 ? { kind: "remove", ids: pick(1 + random.int(3)) } : { kind: "put", ids: pick(5) });
    if (i % 8 === 4) ops.push({ kind: "delete", id: doomed[(i - 4) / 8]! });
  }
  const replies = await Promise.all(ops.map((op, i) => send(groupId, op, i)));

  expect(replies.map((r, i) => `${ops[i]!.kind} ${r.status}`)).toEqual(ops.map((op) => `${op.kind} ${op.kind === "delete" ? 204 : 200}`));

  // What each PATCH and PUT answered, by version: one version, one member list.
  const seen = new Map<number, { members: string[]; ops: Op[] }>();
  for (const [i, op] of ops.entries()) {
    if (op.kind === "delete") continue;
    const version = versionOf(replies[i]!.headers.get("etag"));
    const members = memberIds(replies[i]!);
    const earlier = seen.get(version);
    if (earlier) expect({ version, members }).toEqual({ version, members: earlier.members });
    seen.set(version, { members, ops: [...(earlier?.ops ?? []), op] });
  }
  // Replayed in version order (kept users only: a deletion changes no kept user's membership). The requests
  // that answered a version ran after the change that made it; at most one of them made it.
  const versions = [...seen.keys()].sort((a, b) => a - b);
  let before = new Set<string>();
  let previous = { version: 1, members: [] as string[] };
  for (const version of versions) {
    const { members, ops: tied } = seen.get(version)!;
    const now = new Set(members.filter((id) => kept.has(id)));
    const madeBy = [undefined, ...tied].filter((op) => same(op ? apply(op, before, kept) : before, now));
    const ranAfter = tied.every((op) => same(apply(op, now, kept), now));
    expect({ version, madeByOneOfThem: madeBy.length > 0, ranAfter }).toEqual({ version, madeByOneOfThem: true, ranAfter: true });
    // A PATCH that changed no member made no version; a PUT writes the group whole and makes one whatever it changes.
    if (version === previous.version + 1 && members.join() === previous.members.join()) {
      expect({ version, byPut: tied.some((op) => op.kind === "put") }).toEqual({ version, byPut: true });
    }
    before = now;
    previous = { version, members };
  }

  const after = await c.send("GET", `/Groups/${groupId}`);
  const finalVersion = versionOf(after.headers.get("etag"));
  expect(memberIds(after)).toEqual([...before].sort());
  // Only deletions of members can have made versions after the last answer.
  expect(finalVersion - previous.version).toBeGreaterThanOrEqual(0);
  expect(finalVersion - previous.version).toBeLessThanOrEqual(doomed.length);
  if (finalVersion === previous.version) expect(memberIds(after)).toEqual(previous.members);
  expect((await c.send("GET", `/Groups/${groupId}`, undefined, { "if-none-match": String(after.headers.get("etag")) })).status).toBe(304);

  const dangling = c.server.services.db
    .query(
      `SELECT gm.member_id FROM group_members gm LEFT JOIN users u ON u.tenant_id = gm.tenant_id AND u.id = gm.member_id
       WHERE gm.tenant_id = $tenant AND gm.member_type = 'User' AND u.id IS NULL`,
    )
    .all({ tenant: c.tenant.id });
  expect(dangling).toEqual([]);

  for (const id of ids) {
    const user = await c.send("GET", `/Users/${id}`);
    if (doomed.includes(id)) expect(user.status).toBe(404);
    else expect({ id, groups: ((user.body.groups ?? []) as Doc[]).map((g) => g.value) }).toEqual({ id, groups: before.has(id) ? [groupId] : [] });
  }
});
