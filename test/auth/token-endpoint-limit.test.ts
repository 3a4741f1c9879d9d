// The token endpoint limits failed client authentications per tenant, client address and client_id: a stranger
// cannot guess secrets (each guess a secret check) without end, nor lock the real client out for long.
import { afterEach, describe, expect, setSystemTime, test } from "bun:test";
import { FAILED_ATTEMPTS_BURST } from "../../src/auth/failed-attempts";
import { startLiveServer } from "../log/live-server";
import { basic, createHarness, type Harness, newClient, tokenRequest } from "./support";

afterEach(() => setSystemTime());

const GRANT = { grant_type: "client_credentials" };

async function setup() {
  const h = await createHarness();
  const tenant = await h.newTenant("token-limit");
  return { h, tenant, client: await newClient(h, tenant.id) };
}

const attempt = (h: Harness, tenantId: string, id: string, secret: string) => tokenRequest(h, tenantId, GRANT, { authorization: basic(id, secret) });

describe("failed client authentications at the token endpoint", () => {
  test(`past ${FAILED_ATTEMPTS_BURST} failures → 429 temporarily_unavailable with Retry-After, even for the right secret`, async () => {
    const { h, tenant, client } = await setup();
    for (let i = 0; i < FAILED_ATTEMPTS_BURST; i++) expect((await attempt(h, tenant.id, client.client_id, "wrong")).status).toBe(401);
    for (const secret of ["wrong", client.client_secret]) {
      const res = await attempt(h, tenant.id, client.client_id, secret);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("6");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-type")).toStartWith("application/json");
      const body = (await res.json()) as { error: string; error_description: string };
      expect(body.error).toBe("temporarily_unavailable");
      expect(body.error_description).toContain("retry after 6 seconds");
    }
  });

  test("after Retry-After the client may try again, and the right secret gets its token", async () => {
    const { h, tenant, client } = await setup();
    const start = Date.now();
    setSystemTime(start);
    for (let i = 0; i <= FAILED_ATTEMPTS_BURST; i++) await attempt(h, tenant.id, client.client_id, "wrong");
    expect((await attempt(h, tenant.id, client.client_id, client.client_secret)).status).toBe(429);
    setSystemTime(start + 6_000);
    expect((await attempt(h, tenant.id, client.client_id, client.client_secret)).status).toBe(200);
  });

  test("a success does not count; only failures do", async () => {
    const { h, tenant, client } = await setup();
    for (let i = 0; i < 3 * FAILED_ATTEMPTS_BURST; i++) {
      expect((await attempt(h, tenant.id, client.client_id, client.client_secret)).status).toBe(200);
    }
  });

  test("a stranger guessing client ids does not drain the real client's budget", async () => {
    const { h, tenant, client } = await setup();
    for (let i = 0; i < 3 * FAILED_ATTEMPTS_BURST; i++) await attempt(h, tenant.id, crypto.randomUUID(), "guess");
    expect((await attempt(h, tenant.id, client.client_id, client.client_secret)).status).toBe(200);
  });

  test("one tenant's failures leave another tenant's client alone", async () => {
    const { h, tenant, client } = await setup();
    const other = await h.newTenant("other");
    const otherClient = await newClient(h, other.id);
    for (let i = 0; i <= FAILED_ATTEMPTS_BURST; i++) await attempt(h, tenant.id, client.client_id, "wrong");
    expect((await attempt(h, other.id, otherClient.client_id, otherClient.client_secret)).status).toBe(200);
  });
});

describe("on a listening server behind a trusted proxy", () => {
  test("failures from one client address do not lock the client out at another", async () => {
    const live = await startLiveServer({ SCIMD_TRUSTED_PROXIES: "127.0.0.1" });
    try {
      const t = await live.tenant();
      const created = await live.admin(`/tenants/${t.id}/clients`, { method: "POST", body: JSON.stringify({ description: "live" }) });
      const client = (await created.json()) as { client_id: string; client_secret: string };
      const post = (from: string, secret: string) =>
        fetch(`${live.url}/oauth/v1/${t.id}/token`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: basic(client.client_id, secret),
            "x-forwarded-for": from,
          },
          body: new URLSearchParams(GRANT).toString(),
        });
      for (let i = 0; i < FAILED_ATTEMPTS_BURST; i++) expect((await post("203.0.113.9", "wrong")).status).toBe(401);
      expect((await post("203.0.113.9", client.client_secret)).status).toBe(429);
      expect((await post("198.51.100.4", client.client_secret)).status).toBe(200);
    } finally {
      await live.stop();
    }
  });
});
