// Issue 6 §5: per-tenant token buckets on /scim/v2/{tenantId}/*, after authentication.
import { afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { RateLimiter } from "../../src/http/rate-limit";
import { createHarness, type Harness, probe } from "./support";

afterEach(() => setSystemTime());

async function burst(h: Harness, tenantId: string, token: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await probe(h, tenantId, token)).status);
  return statuses;
}
const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe("RateLimiter (token bucket)", () => {
  test.each([
    [1, 2],
    [5, 10],
    [100, 200],
  ])("%i/s allows a burst of %i, then refuses", (rate, burstSize) => {
    const limiter = new RateLimiter();
    for (let i = 0; i < burstSize; i++) expect(limiter.take("t", rate, 0).ok).toBe(true);
    expect(limiter.take("t", rate, 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  test("refills at the rate: after half a second at 10/s, five more", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 20; i++) limiter.take("t", 10, 0);
    const allowed = Array.from({ length: 10 }, () => limiter.take("t", 10, 500).ok).filter(Boolean).length;
    expect(allowed).toBe(5);
  });

  test("0 means no limit", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 10_000; i++) expect(limiter.take("t", 0, 0).ok).toBe(true);
  });

  test("Retry-After is a whole number of seconds, at least 1", () => {
    const limiter = new RateLimiter();
    limiter.take("t", 1, 0);
    limiter.take("t", 1, 0);
    const d = limiter.take("t", 1, 100);
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(Number.isInteger(d.retryAfterSeconds)).toBe(true);
      expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("rate limit on the SCIM API (SCIMD_RATE_LIMIT=5: bursts of 10)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ SCIMD_RATE_LIMIT: "5" });
  });

  test("over the limit → 429, Retry-After ≥ 1, SCIM error body", async () => {
    setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const t = await h.newTenant();
    expect(await burst(h, t.id, t.token, 10)).toEqual(Array(10).fill(200));
    const res = await probe(h, t.id, t.token);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(res.headers.get("content-type")).toStartWith("application/scim+json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    expect(body.status).toBe("429");
  });

  test("after Retry-After seconds the tenant may go on", async () => {
    const start = new Date("2030-01-02T00:00:00Z");
    setSystemTime(start);
    const t = await h.newTenant();
    await burst(h, t.id, t.token, 11);
    setSystemTime(new Date(start.getTime() + 1000));
    const next = await burst(h, t.id, t.token, 6);
    expect(count(next, 200)).toBe(5);
    expect(next[5]).toBe(429);
  });

  test("one noisy tenant never slows another", async () => {
    setSystemTime(new Date("2030-01-03T00:00:00Z"));
    const noisy = await h.newTenant("noisy");
    const quiet = await h.newTenant("quiet");
    const flood = await burst(h, noisy.id, noisy.token, 100);
    expect(count(flood, 429)).toBe(90);
    expect(await burst(h, quiet.id, quiet.token, 10)).toEqual(Array(10).fill(200));
  });

  test("an unauthenticated flood does not drain the tenant's bucket", async () => {
    setSystemTime(new Date("2030-01-04T00:00:00Z"));
    const t = await h.newTenant("target");
    const strangers = await burst(h, t.id, "not-a-valid-token", 200);
    expect(strangers).toEqual(Array(200).fill(401));
    expect(await burst(h, t.id, t.token, 10)).toEqual(Array(10).fill(200));
  });

  test("per-tenant override through PATCH: 0 = no limit, then null = back to SCIMD_RATE_LIMIT", async () => {
    setSystemTime(new Date("2030-01-05T00:00:00Z"));
    const t = await h.newTenant("big");
    const patched = await h.admin("PATCH", `/tenants/${t.id}`, { rateLimit: 0 });
    expect(await patched.json()).toMatchObject({ rateLimit: 0, effectiveRateLimit: 0 });
    expect(count(await burst(h, t.id, t.token, 50), 200)).toBe(50);
    const shown = (await (await h.admin("GET", `/tenants/${t.id}`)).json()) as { settings: unknown };
    expect(shown.settings).toEqual({ rateLimit: 0, effectiveRateLimit: 0, entra: null });
    await h.admin("PATCH", `/tenants/${t.id}`, { rateLimit: null });
    expect(count(await burst(h, t.id, t.token, 11), 429)).toBe(1);
  });

  test("per-tenant override to a higher limit: 50/s allows 100 in a burst", async () => {
    setSystemTime(new Date("2030-01-06T00:00:00Z"));
    const t = await h.newTenant("fifty");
    await h.admin("PATCH", `/tenants/${t.id}`, { rateLimit: 50 });
    const statuses = await burst(h, t.id, t.token, 101);
    expect(count(statuses, 200)).toBe(100);
    expect(statuses[100]).toBe(429);
  });

  test.each([[{ rateLimit: -1 }], [{ rateLimit: 1.5 }], [{ rateLimit: "fast" }], [{ entra: { issuer: "x" } }]])("PATCH %j → 400", async (body) => {
    const t = await h.newTenant();
    expect((await h.admin("PATCH", `/tenants/${t.id}`, body)).status).toBe(400);
  });

  test("the admin API and discovery of other tenants are not limited by a tenant's bucket", async () => {
    setSystemTime(new Date("2030-01-07T00:00:00Z"));
    const t = await h.newTenant();
    await burst(h, t.id, t.token, 20);
    expect((await h.admin("GET", `/tenants/${t.id}`)).status).toBe(200);
  });
});

test("SCIMD_RATE_LIMIT=0 turns limiting off", async () => {
  const h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
  const t = await h.newTenant();
  setSystemTime(new Date("2030-02-01T00:00:00Z"));
  expect(count(await burst(h, t.id, t.token, 300), 200)).toBe(300);
});
