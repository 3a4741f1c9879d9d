// SIGKILL of the server (`bun src/index.ts`, as a user starts it) right after many writes in flight at once were
// answered. README, Backups: "A crash of the process loses no answered SCIM write (the provisioning log's last
// quarter-second of entries, which wait in memory, is lost with it)". So after a restart every write answered
// 201/200/204 is there, and the log entries that were stored before the crash still are.
import { expect, test } from "bun:test";
import { freshDir, serveEntry } from "../support/entry";
import { TEST_ADMIN_TOKEN } from "../support/harness";
import { type Doc, expectNoServerError, GROUP, patchOp, type Reply, USER } from "./live-client";
import { reply } from "../http/client";

const env = { SCIMD_DATA_DIR: freshDir(), SCIMD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, SCIMD_PORT: "0", SCIMD_RATE_LIMIT: "0" };
const urlOf = (text: string) => /listening on (\S+)/.exec(text)![1]!;

async function call(url: string, path: string, token: string, method = "GET", body?: unknown): Promise<Reply> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": path.startsWith("/admin/") ? "application/json" : "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const r = await reply(res);
  expectNoServerError(r, `${method} ${path}`);
  return r;
}

const loggedEntries = async (url: string, tenant: string) =>
  ((await call(url, `/admin/v1/log?tenant=${tenant}&limit=1000`, TEST_ADMIN_TOKEN)).body.entries as Doc[]).length;

test("SIGKILL right after the answers: every answered create, PATCH, member add and DELETE is there after a restart", async () => {
  const first = await serveEntry(env);
  let url = urlOf(first.text);
  const tenant = (await call(url, "/admin/v1/tenants", TEST_ADMIN_TOKEN, "POST", { name: "Crash" })).body;
  const scim = (path: string, method = "GET", body?: unknown) => call(url, `/scim/v2/${tenant.id}${path}`, String(tenant.token), method, body);

  const created = await scim("/Groups", "POST", { schemas: [GROUP], displayName: "crash group" });
  expect(created.status).toBe(201);
  const group = created.body;
  // Stored log entries survive the crash: wait until the server has written the ones so far.
  const logged = await loggedEntriesOnceWritten(url, String(tenant.id), 1);

  const users = await Promise.all(
    Array.from({ length: 40 }, (_, i) => scim("/Users", "POST", { schemas: [USER], userName: `crash-${i}@example.com`, ...(i % 8 ? {} : { password: `Crash-${i}-pw` }) })),
  );
  expect(users.map((r) => r.status)).toEqual(Array<number>(40).fill(201));
  const ids = users.map((r) => String(r.body.id));
  const doomed = ids.slice(30);
  const writes = await Promise.all([
    ...ids.slice(0, 20).map((id, i) => scim(`/Users/${id}`, "PATCH", patchOp({ op: "Replace", path: "title", value: `after ${i}` }))),
    ...ids.slice(0, 30).map((id) => scim(`/Groups/${group.id}`, "PATCH", patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: id }] }))),
    ...doomed.map((id) => scim(`/Users/${id}`, "DELETE")),
  ]);
  expect(writes.map((r) => r.status)).toEqual([...Array<number>(20).fill(200), ...Array<number>(40).fill(204)]);
  await first.stop("SIGKILL");

  const second = await serveEntry(env);
  url = urlOf(second.text);
  try {
    for (const [i, id] of ids.entries()) {
      const r = await scim(`/Users/${id}`);
      if (doomed.includes(id)) expect({ id, status: r.status }).toEqual({ id, status: 404 });
      else expect({ id, status: r.status, title: r.body.title }).toEqual({ id, status: 200, title: i < 20 ? `after ${i}` : undefined });
    }
    const members = ((await scim(`/Groups/${group.id}`)).body.members as Doc[]).map((m) => String(m.value)).sort();
    expect(members).toEqual(ids.slice(0, 30).sort());
    expect(await loggedEntries(url, String(tenant.id))).toBeGreaterThanOrEqual(logged);
  } finally {
    await second.stop();
  }
}, 15_000);

/** The count of the tenant's stored log entries once it reaches `atLeast` (the writer flushes every 250 ms). */
async function loggedEntriesOnceWritten(url: string, tenant: string, atLeast: number): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const n = await loggedEntries(url, tenant);
    if (n >= atLeast || Date.now() > deadline) return n;
    await Bun.sleep(50);
  }
}
