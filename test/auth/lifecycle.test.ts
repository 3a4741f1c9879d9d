// Issue 6 §3: token lifecycle through BOTH the admin API and the CLI. The CLI is another process with its own
// connection to the database file; whatever it changes must hold on the server's very next request, whatever
// the server has cached (TenantKeys' key cache, TokenService's verification cache).
import { afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { join } from "node:path";
import { accessToken, createFileStack, type FileStack, newClient, probe } from "./support";

let s: FileStack;
beforeAll(async () => {
  s = await createFileStack();
});
afterEach(() => setSystemTime());

interface Issued {
  jti: string;
  token: string;
  expires: string | null;
}
interface Info {
  jti: string;
  expires: string | null;
  revoked: string | null;
  lastUsed: string | null;
}

const adminJson = async <T>(method: string, path: string, body?: unknown) => (await (await s.admin(method, path, body)).json()) as T;

describe("expiry on issue", () => {
  test("admin API: expiresInSeconds → works until then, 401 after", async () => {
    const t = await s.newTenant();
    setSystemTime(new Date("2030-05-01T00:00:00Z"));
    const issued = await adminJson<Issued>("POST", `/tenants/${t.id}/tokens`, { expiresInSeconds: 600 });
    expect(issued.expires).toBe("2030-05-01T00:10:00.000Z");
    expect((await probe(s, t.id, issued.token)).status).toBe(200);
    setSystemTime(new Date("2030-05-01T00:10:00Z"));
    expect((await probe(s, t.id, issued.token)).status).toBe(401);
  });

  test("CLI: token issue --expires-in → works until then, 401 after", async () => {
    const t = await s.newTenant();
    setSystemTime(new Date("2030-05-01T00:00:00Z"));
    const issued = (await s.cli("token", "issue", t.id, "--expires-in", "600", "--description", "cli")) as Issued;
    expect(issued.expires).toBe("2030-05-01T00:10:00.000Z");
    expect((await probe(s, t.id, issued.token)).status).toBe(200);
    setSystemTime(new Date("2030-05-01T00:10:01Z"));
    expect((await probe(s, t.id, issued.token)).status).toBe(401);
  });
});

describe("expiry bounds: a minute to a century", () => {
  test("admin API: beyond a century (or past any writable date) → 400, and no token is made", async () => {
    const t = await s.newTenant();
    for (const expiresInSeconds of [100 * 365 * 86_400 + 1, 1e15, Number.MAX_SAFE_INTEGER, 59]) {
      const res = await s.admin("POST", `/tenants/${t.id}/tokens`, { expiresInSeconds });
      expect(res.status).toBe(400);
    }
    expect(await adminJson<Info[]>("GET", `/tenants/${t.id}/tokens`)).toHaveLength(1);
    const longest = await adminJson<Issued>("POST", `/tenants/${t.id}/tokens`, { expiresInSeconds: 100 * 365 * 86_400 });
    expect((await probe(s, t.id, longest.token)).status).toBe(200);
  });

  test("CLI: --expires-in beyond a century → a usage error naming the bounds", async () => {
    const t = await s.newTenant();
    await expect(s.cli("token", "issue", t.id, "--expires-in", "1000000000000000")).rejects.toThrow(/--expires-in must be from 60 to 3153600000 seconds/);
  });
});

describe("list and last-used", () => {
  test("admin API: the list shows lastUsed once the token was used", async () => {
    const t = await s.newTenant();
    const [before] = await adminJson<Info[]>("GET", `/tenants/${t.id}/tokens`);
    expect(before.lastUsed).toBeNull();
    await probe(s, t.id, t.token);
    const [after] = await adminJson<Info[]>("GET", `/tenants/${t.id}/tokens`);
    expect(after.lastUsed).toBeString();
  });

  test("CLI: token list sees what the server recorded, and no token strings", async () => {
    const t = await s.newTenant();
    await probe(s, t.id, t.token);
    const list = (await s.cli("token", "list", t.id)) as Info[];
    expect(list).toHaveLength(1);
    expect(list[0].lastUsed).toBeString();
    expect(JSON.stringify(list)).not.toContain(t.token);
  });
});

describe("revoke: immediate, also from another process", () => {
  test("admin API: revoke → the next request with the token is 401", async () => {
    const t = await s.newTenant();
    const issued = await adminJson<Issued>("POST", `/tenants/${t.id}/tokens`, {});
    expect((await probe(s, t.id, issued.token)).status).toBe(200);
    expect((await s.admin("DELETE", `/tenants/${t.id}/tokens/${issued.jti}`)).status).toBe(204);
    expect((await probe(s, t.id, issued.token)).status).toBe(401);
  });

  test("CLI on a second connection: revoke → the server's next request is 401 despite its verification cache", async () => {
    const t = await s.newTenant();
    const issued = (await s.cli("token", "issue", t.id)) as Issued;
    expect((await probe(s, t.id, issued.token)).status).toBe(200);
    expect((await probe(s, t.id, issued.token)).status).toBe(200); // now cached
    expect(await s.cli("token", "revoke", t.id, issued.jti)).toEqual({ revoked: issued.jti });
    expect((await probe(s, t.id, issued.token)).status).toBe(401);
    const [, info] = (await s.cli("token", "list", t.id)) as Info[];
    expect(info.revoked).toBeString();
  });

  test("a real `scimd token revoke` process: the running server's next request is 401", async () => {
    const t = await s.newTenant();
    const issued = (await s.cli("token", "issue", t.id)) as Issued;
    expect((await probe(s, t.id, issued.token)).status).toBe(200);
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/index.ts"), "token", "revoke", t.id, issued.jti], {
      env: { ...process.env, ...s.env },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(0);
    expect(JSON.parse(await new Response(proc.stdout).text())).toEqual({ revoked: issued.jti });
    expect((await probe(s, t.id, issued.token)).status).toBe(401);
  });
});

describe("key rotation with an overlap window", () => {
  test("admin API: overlapSeconds keeps old tokens until the window ends", async () => {
    const t = await s.newTenant();
    setSystemTime(new Date("2030-06-01T00:00:00Z"));
    const res = await s.admin("POST", `/tenants/${t.id}/keys/rotate`, { overlapSeconds: 300 });
    expect(res.status).toBe(200);
    expect((await probe(s, t.id, t.token)).status).toBe(200);
    const fresh = await adminJson<Issued>("POST", `/tenants/${t.id}/tokens`, {});
    setSystemTime(new Date("2030-06-01T00:05:00Z"));
    expect((await probe(s, t.id, t.token)).status).toBe(401);
    expect((await probe(s, t.id, fresh.token)).status).toBe(200);
  });

  test("CLI: key rotate --overlap on a second connection; the server honours the window, then refuses", async () => {
    const t = await s.newTenant();
    expect((await probe(s, t.id, t.token)).status).toBe(200); // key now in the server's cache
    setSystemTime(new Date("2030-07-01T00:00:00Z"));
    const rotated = (await s.cli("key", "rotate", t.id, "--overlap", "60")) as { kid: string; overlapSeconds: number };
    expect(rotated.overlapSeconds).toBe(60);
    expect((await probe(s, t.id, t.token)).status).toBe(200);
    setSystemTime(new Date("2030-07-01T00:01:00Z"));
    expect((await probe(s, t.id, t.token)).status).toBe(401);
    const fresh = await adminJson<Issued>("POST", `/tenants/${t.id}/tokens`, {});
    const header = JSON.parse(atob(fresh.token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/"))) as { kid: string };
    expect(header.kid).toBe(rotated.kid);
  });

  // Found by a review: the list showed tokens of a retired key like live ones (no revoked, no expires).
  test("the token list says when a token's key is retired: a future time in the overlap, a past one after; null for the current key", async () => {
    const t = await s.newTenant();
    setSystemTime(new Date("2030-08-01T00:00:00Z"));
    await s.admin("POST", `/tenants/${t.id}/keys/rotate`, { overlapSeconds: 60 });
    const fresh = await adminJson<Issued>("POST", `/tenants/${t.id}/tokens`, {});
    const byJti = async () => new Map((await adminJson<(Info & { keyRetired: string | null })[]>("GET", `/tenants/${t.id}/tokens`)).map((i) => [i.jti, i]));
    const first = (await byJti()).keys().next().value!;
    expect((await byJti()).get(first)).toMatchObject({ revoked: null, expires: null, keyRetired: "2030-08-01T00:01:00.000Z" });
    expect((await byJti()).get(fresh.jti)?.keyRetired).toBeNull();

    setSystemTime(new Date("2030-08-01T00:02:00Z"));
    await s.cli("key", "rotate", t.id);
    expect((await probe(s, t.id, fresh.token)).status).toBe(401);
    const after = await byJti();
    expect(after.get(first)?.keyRetired).toBe("2030-08-01T00:01:00.000Z");
    expect(after.get(fresh.jti)?.keyRetired).toBe("2030-08-01T00:02:00.000Z");
    // The CLI's list says the same.
    const listed = (await s.cli("token", "list", t.id)) as { jti: string; keyRetired: string | null }[];
    expect(listed.find((i) => i.jti === fresh.jti)?.keyRetired).toBe("2030-08-01T00:02:00.000Z");
  });

  test("CLI: key rotate without overlap → the server refuses old tokens on its next request", async () => {
    const t = await s.newTenant();
    expect((await probe(s, t.id, t.token)).status).toBe(200);
    await s.cli("key", "rotate", t.id);
    expect((await probe(s, t.id, t.token)).status).toBe(401);
  });
});

describe("OAuth clients and settings through the CLI", () => {
  test("client create / rotate / delete on a second connection take effect on the server", async () => {
    const t = await s.newTenant();
    const created = (await s.cli("client", "create", t.id, "--description", "okta")) as { client_id: string; client_secret: string };
    const token = await accessToken(s, t.id, created);
    expect((await probe(s, t.id, token)).status).toBe(200);
    expect((await s.cli("client", "list", t.id)) as { clientId: string }[]).toEqual([expect.objectContaining({ clientId: created.client_id })]);
    setSystemTime(new Date(Date.now() + 2000));
    const rotated = (await s.cli("client", "rotate", t.id, created.client_id)) as { client_secret: string };
    expect((await probe(s, t.id, token)).status).toBe(401);
    const second = await accessToken(s, t.id, { client_id: created.client_id, client_secret: rotated.client_secret });
    expect((await probe(s, t.id, second)).status).toBe(200);
    await s.cli("client", "delete", t.id, created.client_id);
    expect((await probe(s, t.id, second)).status).toBe(401);
  });

  test("client rotate in the very second a token was minted: that token stops, one from the new secret works", async () => {
    const t = await s.newTenant();
    setSystemTime(new Date("2031-02-01T00:00:00.100Z"));
    const created = (await s.cli("client", "create", t.id)) as { client_id: string; client_secret: string };
    const old = await accessToken(s, t.id, created);
    expect((await probe(s, t.id, old)).status).toBe(200);
    setSystemTime(new Date("2031-02-01T00:00:00.900Z"));
    const rotated = (await s.cli("client", "rotate", t.id, created.client_id)) as { client_secret: string };
    const fresh = await accessToken(s, t.id, { client_id: created.client_id, client_secret: rotated.client_secret });
    expect((await probe(s, t.id, old)).status).toBe(401);
    expect((await probe(s, t.id, fresh)).status).toBe(200);
  });

  test("a real `scimd client rotate` process no later than the token's second: that token stops, the new secret's works", async () => {
    const t = await s.newTenant();
    const created = (await s.cli("client", "create", t.id)) as { client_id: string; client_secret: string };
    // The server's clock a minute ahead of the CLI's: the rotation is stamped before the token's whole-second iat.
    setSystemTime(new Date(Date.now() + 60_000));
    const old = await accessToken(s, t.id, created);
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/index.ts"), "client", "rotate", t.id, created.client_id], {
      env: { ...process.env, ...s.env },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(0);
    const { client_secret } = JSON.parse(await new Response(proc.stdout).text()) as { client_secret: string };
    const fresh = await accessToken(s, t.id, { client_id: created.client_id, client_secret });
    expect((await probe(s, t.id, old)).status).toBe(401);
    expect((await probe(s, t.id, fresh)).status).toBe(200);
  });

  test("admin-created client is listed by the CLI", async () => {
    const t = await s.newTenant();
    const c = await newClient(s, t.id);
    const list = (await s.cli("client", "list", t.id)) as { clientId: string }[];
    expect(list.map((x) => x.clientId)).toEqual([c.client_id]);
  });

  test("tenant set --rate-limit on a second connection limits the server's next requests", async () => {
    const t = await s.newTenant();
    expect(await s.cli("tenant", "set", t.id, "--rate-limit", "1")).toMatchObject({ rateLimit: 1, effectiveRateLimit: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await probe(s, t.id, t.token)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(await s.cli("tenant", "set", t.id, "--rate-limit", "default")).toMatchObject({ rateLimit: null, effectiveRateLimit: 100 });
    expect((await probe(s, t.id, t.token)).status).toBe(200);
  });

  test("tenant show prints the tenant with its settings; bad options are usage errors", async () => {
    const t = await s.newTenant();
    expect(await s.cli("tenant", "show", t.id)).toMatchObject({ id: t.id, settings: { rateLimit: null, entra: null } });
    await expect(s.cli("tenant", "set", t.id)).rejects.toThrow(/--rate-limit/);
    await expect(s.cli("tenant", "set", t.id, "--rate-limit", "fast")).rejects.toThrow(/--rate-limit/);
    await expect(s.cli("tenant", "set", t.id, "--entra-tenant", "nope")).rejects.toThrow(/GUID/);
    await expect(s.cli("client", "rotate", t.id, "no-such-client")).rejects.toThrow(/no client/);
  });
});
