// Issue 6 §1: OAuth clients through the admin API: secrets shown once, stored hashed; rotation and deletion.
import { afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { accessToken, createHarness, type Harness, newClient, probe, tokenRequest } from "./support";

let h: Harness;
let tenant: { id: string; token: string };

beforeAll(async () => {
  h = await createHarness();
  tenant = await h.newTenant("clients");
});

afterEach(() => setSystemTime());

describe("OAuth clients: admin API", () => {
  test("create shows the secret once; list shows no secret; the database holds only a hash", async () => {
    const c = await newClient(h, tenant.id);
    expect(c.client_secret).toStartWith("scimd_cs_");
    const listText = await (await h.admin("GET", `/tenants/${tenant.id}/clients`)).text();
    expect(listText).toContain(c.client_id);
    expect(listText).not.toContain(c.client_secret);
    const dump = JSON.stringify(h.services.db.query("SELECT * FROM oauth_clients").all());
    expect(dump).not.toContain(c.client_secret);
  });

  test("create answers with the token endpoint URL", async () => {
    const res = await h.admin("POST", `/tenants/${tenant.id}/clients`, {});
    const body = (await res.json()) as { token_endpoint: string };
    expect(body.token_endpoint).toBe(`http://scimd.test/oauth/v1/${tenant.id}/token`);
  });

  test("rotate secret: the old secret and its access tokens stop, the new secret works", async () => {
    const start = new Date("2031-01-01T00:00:00Z");
    setSystemTime(start);
    const c = await newClient(h, tenant.id);
    const before = await accessToken(h, tenant.id, c);
    setSystemTime(new Date(start.getTime() + 5_000));
    const res = await h.admin("POST", `/tenants/${tenant.id}/clients/${c.client_id}/secret`);
    expect(res.status).toBe(200);
    const { client_secret } = (await res.json()) as { client_secret: string };
    expect(client_secret).not.toBe(c.client_secret);
    expect((await tokenRequest(h, tenant.id, { grant_type: "client_credentials", ...c })).status).toBe(401);
    expect((await probe(h, tenant.id, before)).status).toBe(401);
    const after = await accessToken(h, tenant.id, { client_id: c.client_id, client_secret });
    expect((await probe(h, tenant.id, after)).status).toBe(200);
  });

  test("rotate in the very second a token was minted: that token stops, one from the new secret works", async () => {
    setSystemTime(new Date("2031-02-01T00:00:00.100Z"));
    const c = await newClient(h, tenant.id);
    const old = await accessToken(h, tenant.id, c);
    setSystemTime(new Date("2031-02-01T00:00:00.900Z"));
    const res = await h.admin("POST", `/tenants/${tenant.id}/clients/${c.client_id}/secret`);
    const { client_secret } = (await res.json()) as { client_secret: string };
    const fresh = await accessToken(h, tenant.id, { client_id: c.client_id, client_secret });
    expect((await probe(h, tenant.id, old)).status).toBe(401);
    expect((await probe(h, tenant.id, fresh)).status).toBe(200);
  });

  test("delete: its access tokens stop on the next request; a second delete → 404", async () => {
    const c = await newClient(h, tenant.id);
    const token = await accessToken(h, tenant.id, c);
    expect((await probe(h, tenant.id, token)).status).toBe(200);
    expect((await h.admin("DELETE", `/tenants/${tenant.id}/clients/${c.client_id}`)).status).toBe(204);
    expect((await probe(h, tenant.id, token)).status).toBe(401);
    expect((await h.admin("DELETE", `/tenants/${tenant.id}/clients/${c.client_id}`)).status).toBe(404);
  });

  test("unknown tenant → 404; unknown client rotate → 404; no admin token → 401", async () => {
    expect((await h.admin("POST", `/tenants/${crypto.randomUUID()}/clients`, {})).status).toBe(404);
    expect((await h.admin("GET", `/tenants/${crypto.randomUUID()}/clients`)).status).toBe(404);
    expect((await h.admin("POST", `/tenants/${tenant.id}/clients/${crypto.randomUUID()}/secret`)).status).toBe(404);
    expect((await h.request("GET", `/admin/v1/tenants/${tenant.id}/clients`)).status).toBe(401);
  });

  test("key rotation retires access tokens with the key", async () => {
    const t = await h.newTenant("rotating");
    const c = await newClient(h, t.id);
    const token = await accessToken(h, t.id, c);
    expect((await h.admin("POST", `/tenants/${t.id}/keys/rotate`, {})).status).toBe(200);
    expect((await probe(h, t.id, token)).status).toBe(401);
    expect((await probe(h, t.id, await accessToken(h, t.id, c))).status).toBe(200);
  });
});
