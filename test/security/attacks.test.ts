// Issue 6 §7: attacks on the credentials, each refused, each a named test. Forgeries that need a valid signature
// are made with the tenant's real key (read from the database) and the jti of a live token, and a control shows
// such a forgery passes when nothing is changed: so each refusal is the claim check under test, not the crypto.
import { beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { base64url, type CryptoKey, exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { secretGeneration } from "../../src/auth/clients";
import { tenantAudience, TOKEN_ISSUER } from "../../src/auth/tokens";
import { createHarness, type Harness, TEST_ADMIN_TOKEN } from "../support/harness";

interface Tenant {
  id: string;
  token: string;
}

let h: Harness;
let a: Tenant;
let b: Tenant;
let keyA: { kid: string; privateKey: CryptoKey; publicKey: CryptoKey };
let clientA: { client_id: string; client_secret: string };
let liveJti: string;

const scim = (tenantId: string, token: string) =>
  h.app.handle(new Request(`http://scimd.test/scim/v2/${tenantId}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } }));

async function refused(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toStartWith("Bearer");
  expect(((await res.json()) as { status: string }).status).toBe("401");
}

async function oauthToken(tenantId: string, client: { client_id: string; client_secret: string }): Promise<string> {
  const res = await h.app.handle(
    new Request(`http://scimd.test/oauth/v1/${tenantId}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", ...client }),
    }),
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A Secret-Token-shaped JWT signed with tenant A's real key, with `claims` and `header` overriding the defaults. */
function signedWithA(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  return new SignJWT({ iss: TOKEN_ISSUER, aud: tenantAudience(a.id), jti: liveJti, iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: "ES256", kid: keyA.kid, typ: "JWT", ...header })
    .sign(keyA.privateKey);
}

/** Claims of a live access token of client A, minted with its current secret. */
function accessClaimsOfA(): Record<string, unknown> {
  const row = h.services.db.query("SELECT secret_hash FROM oauth_clients WHERE client_id = $id").get({ id: clientA.client_id }) as { secret_hash: string };
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return { jti: crypto.randomUUID(), client_id: clientA.client_id, scope: "scim", exp, secret_gen: secretGeneration(row.secret_hash) };
}

const parts = (jwt: string) => jwt.split(".");
const json = (segment: string) => JSON.parse(new TextDecoder().decode(base64url.decode(segment))) as Record<string, unknown>;
const segment = (value: unknown) => base64url.encode(JSON.stringify(value));

beforeAll(async () => {
  h = await createHarness();
  a = await h.newTenant("A");
  b = await h.newTenant("B");
  const current = await h.services.keys.current(a.id);
  if (!current) throw new Error("tenant A has no key");
  keyA = current;
  liveJti = (await h.services.tokens.issue(a.id, { description: "live" })).jti;
  const res = await h.admin("POST", `/tenants/${a.id}/clients`, {});
  clientA = (await res.json()) as typeof clientA;
});

describe("attacks on the SCIM guard — each refused with 401", () => {
  test("control: tenant A's own Secret Token and access token pass", async () => {
    expect((await scim(a.id, a.token)).status).toBe(200);
    expect((await scim(a.id, await oauthToken(a.id, clientA))).status).toBe(200);
  });

  test("control: a forgery signed with the tenant's key and a live jti, nothing else changed, passes", async () => {
    expect((await scim(a.id, await signedWithA())).status).toBe(200);
  });

  test("alg: none (unsecured JWT with valid claims)", async () => {
    const none = new UnsecuredJWT({ jti: crypto.randomUUID() }).setIssuer(TOKEN_ISSUER).setAudience(tenantAudience(a.id)).setIssuedAt().encode();
    await refused(await scim(a.id, none));
  });

  test("alg: none with the real kid and the signature of a real token kept", async () => {
    const [, payload, sig] = parts(a.token);
    const header = segment({ alg: "none", kid: keyA.kid, typ: "JWT" });
    await refused(await scim(a.id, `${header}.${payload}.${sig}`));
  });

  test("algorithm confusion: HS256 with the tenant's public key (SPKI PEM) as the HMAC secret", async () => {
    const pem = await exportSPKI(keyA.publicKey);
    const forged = await new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: "HS256", kid: keyA.kid, typ: "JWT" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(tenantAudience(a.id))
      .setIssuedAt()
      .sign(new TextEncoder().encode(pem));
    await refused(await scim(a.id, forged));
  });

  test("algorithm confusion: HS256 with the public JWK as the secret, shaped as an access token (typ at+jwt)", async () => {
    const jwk = JSON.stringify(await exportJWK(keyA.publicKey));
    const forged = await new SignJWT({ jti: crypto.randomUUID(), client_id: clientA.client_id, scope: "scim" })
      .setProtectedHeader({ alg: "HS256", kid: keyA.kid, typ: "at+jwt" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(tenantAudience(a.id))
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(jwk));
    await refused(await scim(a.id, forged));
  });

  test("tampered payload: another jti under the original signature", async () => {
    const [header, payload, sig] = parts(a.token);
    await refused(await scim(a.id, `${header}.${segment({ ...json(payload), jti: crypto.randomUUID() })}.${sig}`));
  });

  test("tampered payload: tenant B's audience under tenant B's signature, sent to tenant A", async () => {
    const [header, payload, sig] = parts(b.token);
    await refused(await scim(a.id, `${header}.${segment({ ...json(payload), aud: tenantAudience(a.id) })}.${sig}`));
  });

  test("tampered signature", async () => {
    const [header, payload, sig] = parts(a.token);
    const i = 10;
    const flipped = `${sig.slice(0, i)}${sig[i] === "A" ? "B" : "A"}${sig.slice(i + 1)}`;
    await refused(await scim(a.id, `${header}.${payload}.${flipped}`));
  });

  test("wrong kid: tenant A's token relabelled with tenant B's kid", async () => {
    const kidB = (await h.services.keys.current(b.id))?.kid;
    const [header, payload, sig] = parts(a.token);
    await refused(await scim(a.id, `${segment({ ...json(header), kid: kidB })}.${payload}.${sig}`));
  });

  test("wrong kid: an unknown kid on a token signed by an attacker's key", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid: crypto.randomUUID(), typ: "JWT" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(tenantAudience(a.id))
      .setIssuedAt()
      .sign(privateKey);
    await refused(await scim(a.id, forged));
  });

  test("wrong issuer, validly signed with the tenant's key", async () => {
    await refused(await scim(a.id, await signedWithA({ iss: "https://evil.example" })));
  });

  test("wrong audience, validly signed with the tenant's key", async () => {
    await refused(await scim(a.id, await signedWithA({ aud: "urn:scimd:tenant:someone-else" })));
  });

  test("another tenant's Secret Token", async () => {
    await refused(await scim(a.id, b.token));
  });

  test("an unknown tenant id with a valid token of another tenant", async () => {
    await refused(await scim(crypto.randomUUID(), a.token));
  });

  test("expired Secret Token", async () => {
    const issued = await h.services.tokens.issue(a.id, { expiresInSeconds: 60 });
    expect((await scim(a.id, issued.token)).status).toBe(200);
    setSystemTime(new Date(Date.now() + 61_000));
    try {
      await refused(await scim(a.id, issued.token));
    } finally {
      setSystemTime();
    }
  });

  test("control: a forged access token with live claims, signed with the tenant's key, passes", async () => {
    expect((await scim(a.id, await signedWithA(accessClaimsOfA(), { typ: "at+jwt" }))).status).toBe(200);
  });

  test("expired access token, validly signed", async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    await refused(await scim(a.id, await signedWithA({ ...accessClaimsOfA(), iat: past, exp: past + 3600 }, { typ: "at+jwt" })));
  });

  test("an access token that names no client secret, validly signed", async () => {
    await refused(await scim(a.id, await signedWithA({ ...accessClaimsOfA(), secret_gen: undefined }, { typ: "at+jwt" })));
  });

  test("an access token minted with another secret of the client, validly signed", async () => {
    await refused(await scim(a.id, await signedWithA({ ...accessClaimsOfA(), secret_gen: secretGeneration("an older secret") }, { typ: "at+jwt" })));
  });

  test("revoked Secret Token", async () => {
    const issued = await h.services.tokens.issue(a.id);
    expect((await scim(a.id, issued.token)).status).toBe(200);
    expect((await h.admin("DELETE", `/tenants/${a.id}/tokens/${issued.jti}`)).status).toBe(204);
    await refused(await scim(a.id, issued.token));
  });

  test("a validly signed Secret Token whose jti was never issued (not in the tokens table)", async () => {
    await refused(await scim(a.id, await signedWithA({ jti: crypto.randomUUID() })));
  });

  test("oversized token (over 8 KiB)", async () => {
    await refused(await scim(a.id, `${a.token}${"A".repeat(9000)}`));
  });

  test("oversized Secret Token (over 4 KiB, under the 8 KiB bearer limit)", async () => {
    await refused(await scim(a.id, await signedWithA({ padding: "x".repeat(5000) })));
  });

  test("the admin token on the SCIM API", async () => {
    await refused(await scim(a.id, TEST_ADMIN_TOKEN));
  });

  test("OAuth access token of tenant A on tenant B", async () => {
    await refused(await scim(b.id, await oauthToken(a.id, clientA)));
  });

  test("type confusion: access-token claims (fresh jti, client_id, exp) under typ JWT are no Secret Token", async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    await refused(await scim(a.id, await signedWithA({ jti: crypto.randomUUID(), client_id: clientA.client_id, scope: "scim", exp })));
  });

  test("type confusion: Secret-Token claims (live jti, no client_id, no exp) under typ at+jwt are no access token", async () => {
    await refused(await scim(a.id, await signedWithA({}, { typ: "at+jwt" })));
  });

  test("type confusion: an unknown typ on otherwise valid Secret-Token claims", async () => {
    await refused(await scim(a.id, await signedWithA({}, { typ: "id_token+jwt" })));
  });

  test("an access token for a client that does not exist, validly signed", async () => {
    await refused(await scim(a.id, await signedWithA({ ...accessClaimsOfA(), client_id: crypto.randomUUID() }, { typ: "at+jwt" })));
  });

  test("an RS256 token on a tenant that has not opted in to Entra", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ tid: crypto.randomUUID() })
      .setProtectedHeader({ alg: "RS256", kid: "x" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(tenantAudience(a.id))
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    await refused(await scim(a.id, forged));
  });
});

describe("attacks on the admin API — each refused with 401", () => {
  const admin = (token: string) =>
    h.app.handle(new Request("http://scimd.test/admin/v1/tenants", { headers: { authorization: `Bearer ${token}` } }));

  test("a SCIM Secret Token on the admin API", async () => {
    expect((await admin(a.token)).status).toBe(401);
  });

  test("an OAuth access token on the admin API", async () => {
    expect((await admin(await oauthToken(a.id, clientA))).status).toBe(401);
  });

  test("an OAuth client secret on the admin API", async () => {
    expect((await admin(clientA.client_secret)).status).toBe(401);
  });
});

// A stranger's body is never read: every admin route answers 401 before Elysia's parser (or validation) runs.
describe("the admin API refuses a stranger before reading the body", () => {
  const BODIES: [string, string, string][] = [
    ["malformed JSON", "application/json", "{bad"],
    ["a body of the wrong shape", "application/json", JSON.stringify({ nothing: [1, 2, 3] })],
    ["a form body", "application/x-www-form-urlencoded", "a=1&b=2"],
  ];
  const adminRoutes = () =>
    h.app.routes
      .filter((r) => r.path.startsWith("/admin/"))
      .map((r) => ({ method: r.method, path: r.path.replace(/:id|:tenantId/g, a.id).replace(/:[A-Za-z]+/g, "x") }));

  test("the route table has admin routes with bodies (so the table below is not empty)", () => {
    expect(adminRoutes().filter((r) => ["POST", "PUT", "PATCH"].includes(r.method)).length).toBeGreaterThan(5);
  });

  for (const [name, type, body] of BODIES) {
    test(`${name}, no token or a wrong one: 401 on every admin route`, async () => {
      for (const { method, path } of adminRoutes()) {
        for (const authorization of [undefined, "Bearer wrong-admin-token", a.token]) {
          const headers: Record<string, string> = { "content-type": type, ...(authorization ? { authorization } : {}) };
          const hasBody = method !== "GET" && method !== "HEAD";
          const res = await h.app.handle(new Request(`http://scimd.test${path}`, { method, headers, body: hasBody ? body : undefined }));
          expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
          expect(res.headers.get("www-authenticate")).toBe('Bearer realm="scimd-admin"');
        }
      }
    });
  }

  test("with the admin token the same malformed body is a 400; public paths and the console need no token", async () => {
    const res = await h.request("POST", "/admin/v1/tenants", { token: TEST_ADMIN_TOKEN, body: "{bad", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    for (const path of ["/healthz", "/readyz", "/docs/json", "/ui"]) expect((await h.request("GET", path)).status).toBe(200);
  });
});
