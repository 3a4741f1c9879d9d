// Issue 2 §6: every bad credential on /scim/v2/{tenantId}/* → 401, RFC 7644 error body, WWW-Authenticate: Bearer,
// and the same answer for an unknown tenant as for a bad token.
import { beforeAll, describe, expect, test } from "bun:test";
import { base64url, SignJWT, UnsecuredJWT, generateKeyPair } from "jose";
import { tenantAudience, TOKEN_ISSUER } from "../../src/auth/tokens";
import { createHarness, type Harness, type TestTenant } from "../support/harness";

let h: Harness;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  h = await createHarness();
  a = await h.newTenant("A");
  b = await h.newTenant("B");
});

const spc = (tenantId: string, authorization?: string) =>
  h.app.handle(
    new Request(`http://scimd.test/scim/v2/${tenantId}/ServiceProviderConfig`, {
      headers: authorization === undefined ? {} : { authorization },
    }),
  );

async function expect401(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toStartWith("Bearer");
  expect(res.headers.get("content-type")).toStartWith("application/scim+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  expect(body.status).toBe("401");
  return body;
}

// Changes a character in the middle of the signature (the last one may only hold padding bits).
const flip = (s: string) => {
  const i = s.length - 20;
  return `${s.slice(0, i)}${s[i] === "A" ? "B" : "A"}${s.slice(i + 1)}`;
};

describe("SCIM auth guard", () => {
  test("a valid token for its own tenant passes", async () => {
    const res = await spc(a.id, `Bearer ${a.token}`);
    expect(res.status).toBe(200);
  });

  test("the scheme name is case-insensitive (RFC 6750)", async () => {
    expect((await spc(a.id, `bearer ${a.token}`)).status).toBe(200);
  });

  const cases: [string, () => string | undefined][] = [
    ["missing Authorization header", () => undefined],
    ["empty header", () => ""],
    ["Basic scheme", () => `Basic ${btoa("user:pass")}`],
    ["Bearer with no token", () => "Bearer "],
    ["malformed token (not a JWT)", () => "Bearer not-a-jwt"],
    ["characters outside RFC 6750 b64token", () => `Bearer ${a.token}!`],
    ["tampered payload", () => {
      const [hd, , sig] = a.token.split(".");
      const payload = base64url.encode(JSON.stringify({ iss: TOKEN_ISSUER, aud: tenantAudience(a.id), jti: "x", iat: 1 }));
      return `Bearer ${hd}.${payload}.${sig}`;
    }],
    ["tampered signature", () => `Bearer ${flip(a.token)}`],
    ["another tenant's token", () => `Bearer ${b.token}`],
    ["oversized token", () => `Bearer ${"a".repeat(5000)}.${"b".repeat(5000)}.c`],
  ];
  test.each(cases)("%s → 401", async (_name, header) => {
    await expect401(await spc(a.id, header()));
  });

  // Found by a review: every 401 said error="invalid_token", also to a request that sent no token at all.
  test("RFC 6750 §3.1: no Bearer credentials → a challenge without an error code; a bad Bearer token → invalid_token", async () => {
    for (const header of [undefined, "", `Basic ${btoa("user:pass")}`]) {
      const res = await spc(a.id, header);
      await expect401(res);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="scimd"');
    }
    for (const header of ["Bearer ", "Bearer not-a-jwt", `Bearer ${b.token}`, `bearer ${a.token}!`]) {
      const res = await spc(a.id, header);
      await expect401(res);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="scimd", error="invalid_token"');
    }
    // Either way the body is the same, and an unknown tenant changes neither.
    const missing = await expect401(await spc(crypto.randomUUID()));
    expect(missing).toEqual(await expect401(await spc(a.id, "Bearer nonsense")));
  });

  test("a JWT header whose typ is not a string (number, array, object, boolean) → 401, not 500", async () => {
    for (const typ of [5, ["at+jwt"], { x: 1 }, true]) {
      const header = base64url.encode(JSON.stringify({ alg: "ES256", typ }));
      await expect401(await spc(a.id, `Bearer ${header}.e30.x`));
    }
  });

  test("alg: none → 401", async () => {
    const unsecured = new UnsecuredJWT({ jti: "x" }).setIssuer(TOKEN_ISSUER).setAudience(tenantAudience(a.id)).setIssuedAt().encode();
    await expect401(await spc(a.id, `Bearer ${unsecured}`));
  });

  test("a token signed by a key scimd did not issue (right kid, right claims) → 401", async () => {
    const kid = JSON.parse(atob(a.token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/"))).kid;
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(tenantAudience(a.id))
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .sign(privateKey);
    await expect401(await spc(a.id, `Bearer ${forged}`));
  });

  test("revoked token → 401 on the very next request", async () => {
    const issued = await h.services.tokens.issue(a.id);
    expect((await spc(a.id, `Bearer ${issued.token}`)).status).toBe(200);
    expect((await h.admin("DELETE", `/tenants/${a.id}/tokens/${issued.jti}`)).status).toBe(204);
    await expect401(await spc(a.id, `Bearer ${issued.token}`));
  });

  test("expired token → 401", async () => {
    const issued = await h.services.tokens.issue(a.id, { expiresInSeconds: 60, now: new Date(Date.now() - 120_000) });
    await expect401(await spc(a.id, `Bearer ${issued.token}`));
  });

  test("unknown tenant gets exactly the same answer as a bad token (no enumeration)", async () => {
    const unknown = await expect401(await spc(crypto.randomUUID(), `Bearer ${a.token}`));
    const badToken = await expect401(await spc(a.id, "Bearer nonsense"));
    expect(unknown).toEqual(badToken);
  });

  test("admin token on the SCIM API → 401", async () => {
    await expect401(await spc(a.id, "Bearer test-admin-token-0123456789abcdef"));
  });

  test("rotating the key stops the old tokens; new tokens work", async () => {
    const t = await h.newTenant("rotating");
    expect((await spc(t.id, `Bearer ${t.token}`)).status).toBe(200);
    const res = await h.admin("POST", `/tenants/${t.id}/keys/rotate`, {});
    expect(res.status).toBe(200);
    await expect401(await spc(t.id, `Bearer ${t.token}`));
    const fresh = (await (await h.admin("POST", `/tenants/${t.id}/tokens`, {})).json()) as { token: string };
    expect((await spc(t.id, `Bearer ${fresh.token}`)).status).toBe(200);
  });

  test("rotation with an overlap keeps old tokens working until it ends", async () => {
    const t = await h.newTenant("overlap");
    await h.services.tenants.rotateKey(t.id, 3600);
    expect((await spc(t.id, `Bearer ${t.token}`)).status).toBe(200);
    await h.services.tenants.rotateKey(t.id, 0);
    await expect401(await spc(t.id, `Bearer ${t.token}`));
  });
});
