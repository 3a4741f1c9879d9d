// Found by a review: when the directory's JWKS could not be fetched (Microsoft unreachable, a proxy down), every
// Entra request answered 401 — which Entra reports as invalid credentials and quarantines for — once the keys
// were ten minutes old, and each request waited on a fetch of its own. The keys last fetched keep verifying
// (Microsoft rolls them over weeks); with none fetched yet the answer is 503, which Entra retries.
import { afterAll, afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from "jose";
import { createHarness, type Harness, probe } from "./support";

const AUDIENCE = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";

let jwks: ReturnType<typeof Bun.serve>;
let fetches = 0;
let down = false;
let signing: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  signing = pair.privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "entra-key-1", alg: "RS256", use: "sig" };
  jwks = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch() {
      fetches++;
      return down ? new Response("upstream unavailable", { status: 502 }) : Response.json({ keys: [publicJwk] });
    },
  });
});
afterAll(() => jwks.stop(true));
afterEach(() => {
  setSystemTime();
  down = false;
});

function entraToken(directory: string, key = signing): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: directory })
    .setProtectedHeader({ alg: "RS256", kid: "entra-key-1", typ: "JWT" })
    .setIssuer(`https://sts.windows.net/${directory}/`)
    .setAudience(AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + 3600)
    .sign(key);
}

/** A fresh stack (nothing fetched yet) whose one tenant trusts a directory of its own, with keys at the test's JWKS. */
async function entraTenant(): Promise<{ h: Harness; id: string; directory: string }> {
  const h = await createHarness();
  const t = await h.newTenant("entra");
  const directory = crypto.randomUUID();
  const res = await h.admin("PATCH", `/tenants/${t.id}`, { entra: { tenantId: directory, jwksUri: `http://127.0.0.1:${jwks.port}/keys` } });
  expect(res.status).toBe(200);
  return { h, id: t.id, directory };
}

describe("the directory's JWKS cannot be fetched", () => {
  test("keys fetched before keep verifying after they are ten minutes old; forged tokens stay out", async () => {
    const { h, id, directory } = await entraTenant();
    const start = Date.now();
    expect((await probe(h, id, await entraToken(directory))).status).toBe(200);
    down = true;
    setSystemTime(new Date(start + 11 * 60_000));
    expect((await probe(h, id, await entraToken(directory))).status).toBe(200);
    const stranger = (await generateKeyPair("RS256")).privateKey;
    const refused = await probe(h, id, await entraToken(directory, stranger));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toStartWith("Bearer");
  });

  test("with no keys fetched yet → 503 with a SCIM error body, not 401 (Entra retries it; a 401 reads as invalid credentials)", async () => {
    const { h, id, directory } = await entraTenant();
    down = true;
    const res = await probe(h, id, await entraToken(directory));
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toStartWith("application/scim+json");
    const body = (await res.json()) as { schemas: string[]; status: string; detail: string };
    expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    expect(body.status).toBe("503");
    expect(body.detail).not.toContain(String(jwks.port));
    down = false;
    setSystemTime(new Date(Date.now() + 60_000));
    expect((await probe(h, id, await entraToken(directory))).status).toBe(200);
  });

  test("during an outage the JWKS is asked at most once per cooldown, not once per request", async () => {
    const { h, id, directory } = await entraTenant();
    const start = Date.now();
    expect((await probe(h, id, await entraToken(directory))).status).toBe(200);
    down = true;
    setSystemTime(new Date(start + 11 * 60_000));
    const before = fetches;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await probe(h, id, await entraToken(directory))).status);
    expect(fetches - before).toBeLessThanOrEqual(1);
    expect(statuses).toEqual(Array(20).fill(200));
  });

  test("a signature the fetched keys refuse is 401 whether or not the JWKS answers", async () => {
    const { h, id, directory } = await entraTenant();
    const stranger = (await generateKeyPair("RS256")).privateKey;
    expect((await probe(h, id, await entraToken(directory, stranger))).status).toBe(401);
  });
});
