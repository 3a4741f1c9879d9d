// CLI commands run in another process (`bun src/index.ts …`, as a user runs them) while a real listening server
// takes writes on the same data directory. README: the CLI works while the server runs; a request the database
// cannot serve answers 503 with Retry-After, never 500; a revocation holds on the very next request; `backup`
// is a consistent copy. Load is bounded: a few workers, until the commands are done (at most MAX_REQUESTS).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEntry } from "../support/entry";
import { TEST_ADMIN_TOKEN } from "../support/harness";
import { type Doc, type LiveClient, liveClient, patchOp } from "./live-client";

const WORKERS = 6;
const MAX_REQUESTS = 3000;

let a: LiveClient;
let b: LiveClient;
beforeAll(async () => {
  a = await liveClient();
  b = await liveClient(a.server);
});
afterAll(() => a.server.stop());

const cli = async (...args: string[]) => {
  const r = await runEntry(args, { SCIMD_DATA_DIR: a.server.dataDir, SCIMD_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
  expect({ args, code: r.code, err: r.err }).toEqual({ args, code: 0, err: "" });
  return JSON.parse(r.out) as Doc;
};

const scimStatus = async (tenantId: string, token: string) =>
  (await fetch(`${a.server.url}/scim/v2/${tenantId}/Users?count=1`, { headers: { authorization: `Bearer ${token}` } })).status;

test("token issue/revoke, tenant create/delete and backup from the CLI while the server writes: no 500, each takes effect at once", async () => {
  const group = await a.created("/Groups", { displayName: "load" });
  const acked: string[] = [];
  const statuses = new Map<string, number>();
  let stop = false;
  let sent = 0;
  const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
  const worker = async (w: number) => {
    for (let i = 0; !stop && sent < MAX_REQUESTS; i++, sent++) {
      const created = await a.send("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `load-${w}-${i}@example.com` });
      count(`A POST ${created.status}`);
      if (created.status !== 201) continue;
      acked.push(String(created.body.id));
      const added = await a.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "Add", path: "members", value: [{ value: created.body.id }] }));
      count(`A PATCH ${added.status}`);
      // Tenant B is deleted from the CLI midway: its requests then get 401, before it 201.
      count(`B POST ${(await b.send("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `b-${w}-${i}@x` })).status}`);
    }
  };
  const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

  const issued = await cli("token", "issue", a.tenant.id);
  expect(await scimStatus(a.tenant.id, String(issued.token))).toBe(200);

  const created = await cli("tenant", "create", "--name", "Made from the CLI");
  expect(await scimStatus(String(created.id), String(created.token))).toBe(200);

  await cli("token", "revoke", a.tenant.id, String(issued.jti));
  expect(await scimStatus(a.tenant.id, String(issued.token))).toBe(401);

  const ackedBeforeBackup = [...acked];
  const file = join(mkdtempSync(join(tmpdir(), "scimd-backup-")), "copy.sqlite");
  expect(await cli("backup", file)).toEqual({ backup: file });
  const ackedAfterBackup = acked.length;

  await cli("tenant", "delete", b.tenant.id);
  expect(await scimStatus(b.tenant.id, b.tenant.token)).toBe(401);

  stop = true;
  await load;

  // Only the statuses each request may answer; a 503 (with Retry-After, checked by send) is the documented busy answer.
  const allowed = new Set(["A POST 201", "A PATCH 204", "B POST 201", "B POST 401", "A POST 503", "A PATCH 503", "B POST 503"]);
  expect([...statuses.keys()].filter((s) => !allowed.has(s))).toEqual([]);
  expect(statuses.get("A POST 201")).toBeGreaterThan(0);

  // The backup: a sound database holding every user answered before it began, no more than were answered by its
  // end, and memberships only of users it holds.
  const copy = new Database(file, { readonly: true, strict: true });
  try {
    expect(copy.query("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
    expect(copy.query("PRAGMA foreign_key_check").all()).toEqual([]);
    const ids = new Set((copy.query("SELECT id FROM users WHERE tenant_id = $t").all({ t: a.tenant.id }) as { id: string }[]).map((r) => r.id));
    expect(ackedBeforeBackup.filter((id) => !ids.has(id))).toEqual([]);
    expect(ids.size).toBeLessThanOrEqual(ackedAfterBackup + WORKERS);
    const dangling = copy
      .query("SELECT member_id FROM group_members gm WHERE member_type = 'User' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = gm.tenant_id AND u.id = gm.member_id)")
      .all();
    expect(dangling).toEqual([]);
  } finally {
    copy.close();
  }

  // Every user the server answered 201 for is there, and in the group its PATCH added it to.
  const members = new Set(((await a.send("GET", `/Groups/${group.id}`)).body.members as Doc[]).map((m) => String(m.value)));
  expect(acked.filter((id) => !members.has(id))).toEqual([]);
  const counted = (await a.send("GET", "/Users?count=0")).body.totalResults;
  expect(counted).toBe(acked.length);
}, 20_000);
