// Issue 6 §1: OAuth 2.0 client credentials grant (RFC 6749 §4.4) on POST /oauth/v1/{tenantId}/token.
import { afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { decodeProtectedHeader } from "jose";
import { accessToken, basic, createHarness, type Harness, newClient, probe, tokenRequest } from "./support";

let h: Harness;
let tenant: { id: string; token: string };
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  h = await createHarness();
  tenant = await h.newTenant("oauth");
  client = await newClient(h, tenant.id);
});

afterEach(() => setSystemTime());

async function expectOAuthError(res: Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toStartWith("application/json");
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(body.error_description).toBeString();
  return res;
}

describe("token endpoint: success (RFC 6749 §4.4.3, §5.1)", () => {
  test("HTTP Basic client authentication → access token, no-store, Bearer, expires_in 3600", async () => {
    const res = await tokenRequest(h, tenant.id, { grant_type: "client_credentials" }, { authorization: basic(client.client_id, client.client_secret) });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "scim" });
    expect((await probe(h, tenant.id, body.access_token as string)).status).toBe(200);
  });

  test("client_id and client_secret in the form body also authenticate", async () => {
    const res = await tokenRequest(h, tenant.id, { grant_type: "client_credentials", ...client });
    expect(res.status).toBe(200);
  });

  test("Basic credentials are form-urlencoded before base64 (§2.3.1): percent-encoded id still matches", async () => {
    const encodedId = client.client_id.replace(/-/g, "%2D");
    const res = await tokenRequest(h, tenant.id, { grant_type: "client_credentials" }, {
      authorization: `Basic ${btoa(`${encodedId}:${client.client_secret}`)}`,
    });
    expect(res.status).toBe(200);
  });

  test('scope "scim" is accepted; the access token is a typ at+jwt JWT, unlike a Secret Token', async () => {
    const res = await tokenRequest(h, tenant.id, { grant_type: "client_credentials", scope: "scim", ...client });
    const { access_token } = (await res.json()) as { access_token: string };
    expect(decodeProtectedHeader(access_token).typ).toBe("at+jwt");
    expect(decodeProtectedHeader(tenant.token).typ).toBe("JWT");
  });

  test("SCIMD_ACCESS_TOKEN_TTL sets expires_in", async () => {
    const short = await createHarness({ SCIMD_ACCESS_TOKEN_TTL: "120" });
    const t = await short.newTenant();
    const c = await newClient(short, t.id);
    const res = await tokenRequest(short, t.id, { grant_type: "client_credentials", ...c });
    expect(((await res.json()) as { expires_in: number }).expires_in).toBe(120);
  });

  test("the access token expires after expires_in seconds", async () => {
    const start = new Date("2030-01-01T00:00:00Z");
    setSystemTime(start);
    const token = await accessToken(h, tenant.id, client);
    setSystemTime(new Date(start.getTime() + 3599_000));
    expect((await probe(h, tenant.id, token)).status).toBe(200);
    setSystemTime(new Date(start.getTime() + 3600_000));
    expect((await probe(h, tenant.id, token)).status).toBe(401);
  });

  test("client last-used time is recorded on a successful token request", async () => {
    const c = await newClient(h, tenant.id);
    await accessToken(h, tenant.id, c);
    const list = (await (await h.admin("GET", `/tenants/${tenant.id}/clients`)).json()) as { clientId: string; lastUsed: string | null }[];
    expect(list.find((x) => x.clientId === c.client_id)?.lastUsed).toBeString();
  });
});

describe("token endpoint: errors in RFC 6749 §5.2 format", () => {
  test("wrong secret with Basic → 401 invalid_client with WWW-Authenticate: Basic", async () => {
    const res = await tokenRequest(h, tenant.id, { grant_type: "client_credentials" }, { authorization: basic(client.client_id, "wrong") });
    await expectOAuthError(res, 401, "invalid_client");
    expect(res.headers.get("www-authenticate")).toStartWith("Basic");
  });

  test.each([
    ["wrong secret in the form", () => ({ client_id: client.client_id, client_secret: "wrong" })],
    ["unknown client_id", () => ({ client_id: crypto.randomUUID(), client_secret: client.client_secret })],
    ["no client authentication at all", () => ({})],
    ["client_id without a secret", () => ({ client_id: client.client_id })],
  ])("%s → 401 invalid_client", async (_n, creds) => {
    await expectOAuthError(await tokenRequest(h, tenant.id, { grant_type: "client_credentials", ...creds() }), 401, "invalid_client");
  });

  test("malformed Basic header → 401 invalid_client", async () => {
    const res = await tokenRequest(h, tenant.id, { grant_type: "client_credentials" }, { authorization: "Basic !!!" });
    await expectOAuthError(res, 401, "invalid_client");
  });

  test("another tenant's client → 401 invalid_client (same answer as an unknown tenant)", async () => {
    const other = await h.newTenant("other");
    const a = await tokenRequest(h, other.id, { grant_type: "client_credentials", ...client });
    const b = await tokenRequest(h, crypto.randomUUID(), { grant_type: "client_credentials", ...client });
    await expectOAuthError(a, 401, "invalid_client");
    await expectOAuthError(b, 401, "invalid_client");
  });

  test("grant_type password → 400 unsupported_grant_type", async () => {
    await expectOAuthError(await tokenRequest(h, tenant.id, { grant_type: "password", ...client }), 400, "unsupported_grant_type");
  });

  test("missing grant_type → 400 invalid_request", async () => {
    await expectOAuthError(await tokenRequest(h, tenant.id, { ...client }), 400, "invalid_request");
  });

  test("scope other than scim → 400 invalid_scope", async () => {
    await expectOAuthError(await tokenRequest(h, tenant.id, { grant_type: "client_credentials", scope: "scim admin", ...client }), 400, "invalid_scope");
  });

  test("a parameter given twice → 400 invalid_request (§3.2)", async () => {
    const form = `grant_type=client_credentials&grant_type=client_credentials&client_id=${client.client_id}&client_secret=${client.client_secret}`;
    await expectOAuthError(await tokenRequest(h, tenant.id, form), 400, "invalid_request");
  });

  test("Basic and client_secret in the body together → 400 invalid_request (§2.3)", async () => {
    const res = await tokenRequest(h, tenant.id, { grant_type: "client_credentials", client_secret: client.client_secret }, {
      authorization: basic(client.client_id, client.client_secret),
    });
    await expectOAuthError(res, 400, "invalid_request");
  });

  test("a JSON body → 400 invalid_request", async () => {
    const res = await tokenRequest(h, tenant.id, JSON.stringify({ grant_type: "client_credentials", ...client }), { "content-type": "application/json" });
    await expectOAuthError(res, 400, "invalid_request");
  });

  test("client_secret in the URL → 400 invalid_request (§2.3.1)", async () => {
    const res = await h.app.handle(
      new Request(`http://scimd.test/oauth/v1/${tenant.id}/token?client_secret=${client.client_secret}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(client.client_id, client.client_secret) },
        body: "grant_type=client_credentials",
      }),
    );
    await expectOAuthError(res, 400, "invalid_request");
  });
});
