// scimd's own tokens with an `iat` in the future are refused, as Entra's are (entra-tokens.test.ts): beyond the
// 5 minutes of clock skew allowed, such a token was minted by a clock that was wrong, or for later.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, newClient, probe } from "./support";

let h: Harness;
let tenant: { id: string; token: string };

const inFuture = (seconds: number) => new Date(Date.now() + seconds * 1000);

beforeAll(async () => {
  h = await createHarness();
  tenant = await h.newTenant("future-iat");
});

describe("Secret Tokens issued in the future", () => {
  test("iat ten minutes ahead → 401", async () => {
    const { token } = await h.services.tokens.issue(tenant.id, { now: inFuture(600) });
    const res = await probe(h, tenant.id, token);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toStartWith("Bearer");
  });

  test("iat four minutes ahead (within the clock skew) → 200", async () => {
    const { token } = await h.services.tokens.issue(tenant.id, { now: inFuture(240) });
    expect((await probe(h, tenant.id, token)).status).toBe(200);
  });

  test("refused once, it stays refused: a refusal is not cached as verified", async () => {
    const { token } = await h.services.tokens.issue(tenant.id, { now: inFuture(3600) });
    expect((await probe(h, tenant.id, token)).status).toBe(401);
    expect((await probe(h, tenant.id, token)).status).toBe(401);
  });
});

describe("OAuth access tokens issued in the future", () => {
  async function accessTokenIssuedAt(now: Date): Promise<string> {
    const client = await newClient(h, tenant.id);
    const generation = await h.services.clients.authenticate(tenant.id, client.client_id, client.client_secret);
    if (generation === undefined) throw new Error("the new client did not authenticate");
    const issued = await h.services.accessTokens.issue(tenant.id, client.client_id, generation, now);
    if (!issued) throw new Error("no access token issued");
    return issued.token;
  }

  test("iat ten minutes ahead (and still unexpired) → 401", async () => {
    const res = await probe(h, tenant.id, await accessTokenIssuedAt(inFuture(600)));
    expect(res.status).toBe(401);
  });

  test("iat four minutes ahead (within the clock skew) → 200", async () => {
    expect((await probe(h, tenant.id, await accessTokenIssuedAt(inFuture(240)))).status).toBe(200);
  });
});
