// Strangers' refusals cannot fill a tenant's log: a Tenant URL is no secret, and every request with a bad token
// was a row of that tenant's log, so a flood pruned its real entries (retention counts rows per tenant) and
// filled the health page. Past SCIMD_LOG_REFUSALS per tenant per 10 minutes, refusals are counted and summarised.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { REFUSAL_WINDOW_MS, RefusalBudget } from "../../src/modules/log/refusal-budget";
import { createHarness, type Harness, TEST_ADMIN_TOKEN, type TestTenant } from "../support/harness";
import { entries, settle } from "./support";
import { startLiveServer } from "./live-server";

const badToken = (h: Harness, t: TestTenant, n: number, path = "/Users") =>
  Promise.all(Array.from({ length: n }, () => h.request("GET", `${t.url}${path}`, { token: "not-a-valid-token" })));

const afterWindow = () => Date.now() + REFUSAL_WINDOW_MS + 1;

async function setup(env: Record<string, string> = {}) {
  const h = await createHarness({ SCIMD_RATE_LIMIT: "0", SCIMD_LOG_REFUSALS: "5", ...env });
  return { h, t: await h.newTenant("flooded") };
}

describe("refused requests past the budget", () => {
  test("the first SCIMD_LOG_REFUSALS are logged one by one, the rest in one summary when the window ends", async () => {
    const { h, t } = await setup();
    const answers = await badToken(h, t, 25);
    expect(answers.map((r) => r.status)).toEqual(Array(25).fill(401));
    const before = await entries(h, `?tenant=${t.id}`);
    expect(before).toHaveLength(5);
    expect(before.every((e) => e.status === 401 && e.path === `/scim/v2/${t.id}/Users`)).toBe(true);

    expect(h.services.requestLog.sweepRefusals(afterWindow())).toBe(1);
    const after = await entries(h, `?tenant=${t.id}`);
    expect(after).toHaveLength(6);
    const summary = after.find((e) => e.method === "*");
    expect(summary).toMatchObject({ status: 401, operation: "other", path: `/scim/v2/${t.id}` });
    expect(summary?.detail).toContain("20 more refused requests");
    expect(summary?.detail).toContain("401 ×20");
    expect(summary?.detail).toContain("the first 5 per 10 minutes");
    // A summary is written once.
    expect(h.services.requestLog.sweepRefusals(afterWindow())).toBe(0);
  });

  test("a stranger's requests to unknown endpoints share the budget", async () => {
    const { h, t } = await setup();
    await badToken(h, t, 3);
    const unknown = await badToken(h, t, 7, "/NoSuchEndpoint");
    expect(unknown.map((r) => r.status)).toEqual(Array(7).fill(404));
    expect(await entries(h, `?tenant=${t.id}`)).toHaveLength(5);
    h.services.requestLog.sweepRefusals(afterWindow());
    const summary = (await entries(h, `?tenant=${t.id}`)).find((e) => e.method === "*");
    expect(summary?.status).toBe(404);
    expect(summary?.detail).toContain("5 more refused requests");
  });

  test("a flood cannot evict the tenant's real entries", async () => {
    const { h, t } = await setup({ SCIMD_LOG_RETENTION_ROWS: "40" });
    for (let i = 0; i < 20; i++) expect((await h.request("GET", `${t.url}/Users`, { token: t.token })).status).toBe(200);
    await badToken(h, t, 300);
    h.services.requestLog.sweepRefusals(afterWindow());
    await settle(h.services);
    await h.services.requestLog.pruner.prune();
    const kept = await entries(h, `?tenant=${t.id}&limit=1000`);
    expect(kept.filter((e) => e.status === 200)).toHaveLength(20);
    expect(kept.filter((e) => e.status === 401)).toHaveLength(6);
  });

  test("the budget is per tenant: one tenant's flood leaves another's refusals logged", async () => {
    const { h, t } = await setup();
    const other = await h.newTenant("other");
    await badToken(h, t, 50);
    await badToken(h, other, 3);
    expect(await entries(h, `?tenant=${other.id}`)).toHaveLength(3);
  });

  test("a new window logs refusals one by one again, and the ended window's summary comes with it", async () => {
    const { h, t } = await setup();
    await badToken(h, t, 8);
    const later = afterWindow();
    expect(h.services.requestLog.refusals.admit(t.id, 401, "192.0.2.1", later)).toBe(true);
    expect(h.services.requestLog.sweepRefusals(later)).toBe(1);
    await settle(h.services);
    expect((await entries(h, `?tenant=${t.id}`)).filter((e) => e.method === "*")).toHaveLength(1);
  });

  test("authenticated requests never use the budget, whatever their status", async () => {
    const { h, t } = await setup();
    await badToken(h, t, 10);
    for (let i = 0; i < 10; i++) await h.request("GET", `${t.url}/Users/${crypto.randomUUID()}`, { token: t.token });
    const logged = await entries(h, `?tenant=${t.id}&limit=100`);
    expect(logged.filter((e) => e.status === 404)).toHaveLength(10);
  });

  test("SCIMD_LOG_REFUSALS=0 logs every refusal", async () => {
    const { h, t } = await setup({ SCIMD_LOG_REFUSALS: "0" });
    await badToken(h, t, 40);
    expect(await entries(h, `?tenant=${t.id}&limit=100`)).toHaveLength(40);
  });

  test("/metrics counts the refusals left out of the log", async () => {
    const { h, t } = await setup();
    await badToken(h, t, 12);
    const text = await (await h.request("GET", "/metrics", { token: TEST_ADMIN_TOKEN })).text();
    expect(text).toContain("scimd_request_log_refusals_unlogged_total 7");
  });

  test("SCIMD_LOG_REFUSALS must be a whole number", async () => {
    await expect(createHarness({ SCIMD_LOG_REFUSALS: "-1" })).rejects.toThrow(/SCIMD_LOG_REFUSALS/);
  });
});

describe("on a listening server", () => {
  test("the summary names the client addresses, and a stop writes the open window's summary", async () => {
    const live = await startLiveServer({ SCIMD_LOG_REFUSALS: "2" });
    const t = await live.tenant();
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${t.url}/Users`, { headers: { authorization: "Bearer wrong" } });
      expect(res.status).toBe(401);
    }
    await live.stop();
    const db = new Database(join(live.dataDir, "scimd.sqlite"), { readonly: true });
    const rows = db
      .query("SELECT method, status, detail, client_ip AS clientIp FROM request_log WHERE tenant_id = $t ORDER BY id")
      .all({ t: t.id }) as { method: string; status: number; detail: string; clientIp: string }[];
    db.close();
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({ method: "*", status: 401, clientIp: "127.0.0.1" });
    expect(rows[2]?.detail).toContain("4 more refused requests");
    expect(rows[2]?.detail).toContain("from 127.0.0.1 (4)");
  });
});

// Tenant ids in URLs are the sender's: a stranger can open a window for each made-up one. When the windows are all
// taken, the oldest ends early (its summary kept); a tenant's refusals were logged one by one without limit instead.
describe("when every window is taken", () => {
  test("made-up tenant ids end the oldest windows; they do not lift the budget of the next tenant", () => {
    const budget = new RefusalBudget(2, 3);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(budget.admit(`made-up-${i}`, 401, "203.0.113.9", t0)).toBe(true);
    for (let i = 0; i < 3; i++) expect(budget.admit("made-up-0", 401, "203.0.113.9", t0 + 1)).toBe(i === 0);
    const admitted = Array.from({ length: 10 }, () => budget.admit("real-tenant", 401, "198.51.100.7", t0 + 2));
    expect(admitted).toEqual([true, true, ...Array(8).fill(false)]);
    // made-up-0's window, ended early with two refusals past its budget, still gets its summary.
    const summaries = budget.summaries(t0 + 3);
    expect(summaries.map((e) => e.tenantId)).toEqual(["made-up-0"]);
    expect(summaries[0]?.detail).toContain("2 more refused requests");
    expect(budget.summaries(t0 + 3, true).map((e) => [e.tenantId, String(e.detail).split(" more")[0]])).toEqual([["real-tenant", "8"]]);
  });
});
