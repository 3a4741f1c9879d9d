// A tenant deleted while an admin request for it is between its "does the tenant exist" check and its insert
// (awaiting a hash, a signature or a new key pair): 404 "no tenant", never a 500 from the failed foreign key.
import { beforeAll, describe, expect, test } from "bun:test";
import { AdminError } from "../../src/errors";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});

const rowsOf = (tenantId: string) =>
  ["oauth_clients", "tokens", "signing_keys"].map(
    (table) => (h.services.db.query(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $id`).get({ id: tenantId }) as { n: number }).n,
  );

describe("through the admin API", () => {
  // Without a body, the router runs the handler up to its first await before handle() returns: the tenant is
  // deleted after the handler found it and before its insert.
  test.each(["/clients", "/tokens", "/keys/rotate"])("POST %s while the tenant is deleted → 404 no tenant, nothing left behind", async (path) => {
    const t = await h.newTenant();
    const pending = h.admin("POST", `/tenants/${t.id}${path}`);
    expect(h.services.tenants.delete(t.id)).toBe(true);
    const res = await pending;
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: `no tenant ${t.id}`, status: 404 });
    expect(rowsOf(t.id)).toEqual([0, 0, 0]);
  });
});

describe("the services, called for a tenant deleted just before", () => {
  const deletedTenant = async () => {
    const t = await h.newTenant();
    h.services.tenants.delete(t.id);
    return t.id;
  };
  const noTenant = async (id: string, call: Promise<unknown>) => {
    const error = await call.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AdminError);
    expect(error).toMatchObject({ status: 404, message: `no tenant ${id}` });
    expect(rowsOf(id)).toEqual([0, 0, 0]);
  };

  test("creating an OAuth client → 404 no tenant", async () => {
    const id = await deletedTenant();
    await noTenant(id, h.services.clients.create(id, { description: "late" }));
  });

  test("issuing a Secret Token → 404 no tenant", async () => {
    const id = await deletedTenant();
    await noTenant(id, h.services.tokens.issue(id, { description: "late" }));
  });

  test("rotating the signing key → 404 no tenant", async () => {
    const id = await deletedTenant();
    await noTenant(id, h.services.tenants.rotateKey(id));
  });
});

// The token endpoint authenticates the client, then signs: a tenant deleted in between has no key to sign with.
test("an OAuth access token for a tenant deleted after its client authenticated → none (the endpoint's invalid_client), not a throw", async () => {
  const t = await h.newTenant();
  h.services.tenants.delete(t.id);
  expect(await h.services.accessTokens.issue(t.id, "client", "generation")).toBeNull();
});
