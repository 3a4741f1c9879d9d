// Issue 6 §2: Entra-issued tokens, per tenant and opt-in, verified against a JWKS this test serves on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from "jose";
import { CommandError } from "../../src/cli/args";
import { execute } from "../../src/cli/commands";
import { createHarness, type Harness, probe } from "./support";

const DIRECTORY = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const AUDIENCE = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";
const ISSUER = `https://sts.windows.net/${DIRECTORY}/`;
/** Directories that no other test's tenant trusts: one directory's tokens are trusted by one tenant only. */
const otherDirectory = () => crypto.randomUUID();
const fromDirectory = (tid: string): Forge => ({ tid, iss: `https://sts.windows.net/${tid}/` });

let h: Harness;
let jwks: ReturnType<typeof Bun.serve>;
let jwksFetches = 0;
let signing: CryptoKey;
let stranger: CryptoKey;
let tenant: { id: string; token: string };

interface Forge {
  key?: CryptoKey;
  kid?: string;
  alg?: string;
  iss?: string;
  aud?: string;
  tid?: string;
  exp?: number;
  iat?: number;
  nbf?: number;
}

function entraToken(o: Forge = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ tid: o.tid ?? DIRECTORY, appid: AUDIENCE })
    .setProtectedHeader({ alg: o.alg ?? "RS256", kid: o.kid ?? "entra-key-1", typ: "JWT" })
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? AUDIENCE)
    .setIssuedAt(o.iat ?? now - 60)
    .setExpirationTime(o.exp ?? now + 3600);
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign(o.key ?? signing);
}

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  signing = pair.privateKey;
  stranger = (await generateKeyPair("RS256")).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "entra-key-1", alg: "RS256", use: "sig" };
  jwks = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch() {
      jwksFetches++;
      return Response.json({ keys: [publicJwk] });
    },
  });
  h = await createHarness();
  tenant = await h.newTenant("entra");
  const res = await h.admin("PATCH", `/tenants/${tenant.id}`, {
    entra: { tenantId: DIRECTORY, jwksUri: `http://127.0.0.1:${jwks.port}/discovery/v2.0/keys` },
  });
  expect(res.status).toBe(200);
});

afterAll(() => jwks.stop(true));

describe("Entra-issued tokens", () => {
  test("the admin API fills in Microsoft's issuer and provisioning audience", async () => {
    const settings = (await (await h.admin("GET", `/tenants/${tenant.id}/settings`)).json()) as { entra: Record<string, string> };
    expect(settings.entra).toEqual({
      tenantId: DIRECTORY,
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: `http://127.0.0.1:${jwks.port}/discovery/v2.0/keys`,
    });
  });

  test("the JWKS default is login.microsoftonline.com for the directory", async () => {
    const t = await h.newTenant("defaults");
    const directory = otherDirectory();
    const res = await h.admin("PATCH", `/tenants/${t.id}`, { entra: { tenantId: directory } });
    const body = (await res.json()) as { entra: { jwksUri: string } };
    expect(body.entra.jwksUri).toBe(`https://login.microsoftonline.com/${directory}/discovery/v2.0/keys`);
  });

  test("a token signed by the directory's key, right issuer, audience and tid → 200", async () => {
    expect((await probe(h, tenant.id, await entraToken())).status).toBe(200);
  });

  test("Secret Tokens keep working next to Entra trust", async () => {
    expect((await probe(h, tenant.id, tenant.token)).status).toBe(200);
  });

  test.each<[string, () => Promise<Forge>]>([
    ["signed by another key under the published kid", async () => ({ key: stranger })],
    ["signed by another key under an unknown kid", async () => ({ key: stranger, kid: "unknown-kid" })],
    ["wrong issuer", async () => ({ iss: "https://sts.windows.net/00000000-0000-0000-0000-000000000000/" })],
    ["wrong audience", async () => ({ aud: "api://someone-else" })],
    ["another directory's tid", async () => ({ tid: "00000000-0000-0000-0000-000000000000" })],
    ["expired ten minutes ago", async () => ({ exp: Math.floor(Date.now() / 1000) - 600 })],
    // Beyond the 5 minutes of clock skew scimd allows: such a token was made for later, or by a broken clock.
    ["issued (iat) ten minutes in the future", async () => ({ iat: Math.floor(Date.now() / 1000) + 600 })],
    ["issued (iat) a day in the future, expiring after that", async () => ({ iat: Math.floor(Date.now() / 1000) + 86_400, exp: Math.floor(Date.now() / 1000) + 90_000 })],
    ["valid only from (nbf) ten minutes in the future", async () => ({ nbf: Math.floor(Date.now() / 1000) + 600 })],
    ["issued (iat) three days ago, longer than Entra lets a token live", async () => ({ iat: Math.floor(Date.now() / 1000) - 3 * 86_400 })],
  ])("%s → 401", async (_n, forge) => {
    const res = await probe(h, tenant.id, await entraToken(await forge()));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toStartWith("Bearer");
  });

  test("iat and nbf up to 5 minutes in the future (clock skew) → 200", async () => {
    const soon = Math.floor(Date.now() / 1000) + 240;
    expect((await probe(h, tenant.id, await entraToken({ iat: soon, nbf: soon }))).status).toBe(200);
  });

  test("a tenant that did not opt in refuses a valid Entra token", async () => {
    const other = await h.newTenant("no-entra");
    expect((await probe(h, other.id, await entraToken())).status).toBe(401);
  });

  test("turning Entra trust off takes effect on the next request", async () => {
    const t = await h.newTenant("off");
    const directory = otherDirectory();
    await h.admin("PATCH", `/tenants/${t.id}`, { entra: { tenantId: directory, jwksUri: `http://127.0.0.1:${jwks.port}/keys` } });
    const token = await entraToken(fromDirectory(directory));
    expect((await probe(h, t.id, token)).status).toBe(200);
    expect((await h.admin("PATCH", `/tenants/${t.id}`, { entra: null })).status).toBe(200);
    expect((await probe(h, t.id, token)).status).toBe(401);
  });

  test("a configurable audience: a tenant set to another audience accepts it and refuses the default", async () => {
    const t = await h.newTenant("custom-aud");
    await h.admin("PATCH", `/tenants/${t.id}`, { entra: { tenantId: DIRECTORY, audience: "api://scimd", jwksUri: `http://127.0.0.1:${jwks.port}/k` } });
    expect((await probe(h, t.id, await entraToken({ aud: "api://scimd" }))).status).toBe(200);
    expect((await probe(h, t.id, await entraToken())).status).toBe(401);
  });

  test("unknown kids do not make scimd refetch the JWKS on every request (cooldown)", async () => {
    await probe(h, tenant.id, await entraToken());
    const before = jwksFetches;
    for (let i = 0; i < 20; i++) {
      expect((await probe(h, tenant.id, await entraToken({ key: stranger, kid: `random-${i}` }))).status).toBe(401);
    }
    expect(jwksFetches - before).toBeLessThanOrEqual(1);
  });

  // Found by a review: two tenants could trust the same directory, and then one Entra token opened both
  // (it names no scimd tenant: its audience is Entra's provisioning app, the same for every SCIM app).
  test("a directory already trusted by another tenant for the same audience → 409, nothing changes, the token stays out", async () => {
    const second = await h.newTenant("second");
    const jwksUri = `http://127.0.0.1:${jwks.port}/keys`;
    for (const tenantId of [DIRECTORY, DIRECTORY.toUpperCase()]) {
      const res = await h.admin("PATCH", `/tenants/${second.id}`, { rateLimit: 7, entra: { tenantId, jwksUri } });
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: string; status: number };
      expect(body.status).toBe(409);
      expect(body.error).toContain(`tenant ${tenant.id} already accepts Entra tokens of directory ${DIRECTORY}`);
    }
    expect(h.services.tenantSettings.get(second.id)).toEqual({ rateLimit: null, entra: null });
    expect((await probe(h, second.id, await entraToken())).status).toBe(401);
    expect((await probe(h, tenant.id, await entraToken())).status).toBe(200);

    // The CLI refuses it the same way, in one line (another process in real life).
    await expect(execute(h.services, ["tenant", "set", second.id, "--entra-tenant", DIRECTORY])).rejects.toThrow(CommandError);
    expect(h.services.tenantSettings.get(second.id).entra).toBeNull();

    // The tenant that holds the trust may set it again; another audience is another app's tokens.
    expect((await h.admin("PATCH", `/tenants/${tenant.id}`, { entra: { tenantId: DIRECTORY, jwksUri: `http://127.0.0.1:${jwks.port}/discovery/v2.0/keys` } })).status).toBe(200);
    expect((await h.admin("PATCH", `/tenants/${second.id}`, { entra: { tenantId: DIRECTORY, audience: "api://second", jwksUri } })).status).toBe(200);
    expect((await probe(h, second.id, await entraToken())).status).toBe(401);
    expect((await probe(h, second.id, await entraToken({ aud: "api://second" }))).status).toBe(200);
  });

  test("once the first tenant stops trusting a directory, another may", async () => {
    const directory = otherDirectory();
    const jwksUri = `http://127.0.0.1:${jwks.port}/keys`;
    const [a, b] = [await h.newTenant("a"), await h.newTenant("b")];
    expect((await h.admin("PATCH", `/tenants/${a.id}`, { entra: { tenantId: directory, jwksUri } })).status).toBe(200);
    expect((await h.admin("PATCH", `/tenants/${b.id}`, { entra: { tenantId: directory, jwksUri } })).status).toBe(409);
    expect((await h.admin("PATCH", `/tenants/${a.id}`, { entra: null })).status).toBe(200);
    expect((await h.admin("PATCH", `/tenants/${b.id}`, { entra: { tenantId: directory, jwksUri } })).status).toBe(200);
    const token = await entraToken(fromDirectory(directory));
    expect((await probe(h, b.id, token)).status).toBe(200);
    expect((await probe(h, a.id, token)).status).toBe(401);
  });

  test.each([
    [{ entra: { tenantId: "not-a-guid" } }],
    [{ entra: { tenantId: DIRECTORY, jwksUri: "http://example.com/keys" } }],
    [{ entra: { tenantId: DIRECTORY, jwksUri: "not a url" } }],
  ])("bad Entra config %j → 400, nothing changes", async (body) => {
    const res = await h.admin("PATCH", `/tenants/${tenant.id}`, body);
    expect(res.status).toBe(400);
    const settings = (await (await h.admin("GET", `/tenants/${tenant.id}/settings`)).json()) as { entra: { tenantId: string } };
    expect(settings.entra.tenantId).toBe(DIRECTORY);
  });
});
