import { beforeAll, describe, expect, test } from "bun:test";
import { UsageError } from "../../src/cli/args";
import { execute } from "../../src/cli/commands";
import { createHarness, type Harness, TEST_ADMIN_TOKEN } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});

describe("admin API /admin/v1/tenants", () => {
  test.each([
    ["no token", undefined],
    ["wrong token", "wrong-admin-token-0123456789abcdef"],
    ["a prefix of the right token", TEST_ADMIN_TOKEN.slice(0, -1)],
  ])("%s → 401 and nothing is created", async (_n, token) => {
    const before = h.services.tenants.list().length;
    const res = await h.request("POST", "/admin/v1/tenants", { token, body: { name: "x" }, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toStartWith("Bearer");
    expect(h.services.tenants.list().length).toBe(before);
  });

  test("without the admin token, an invalid body still gets 401 (the schema is not described to strangers)", async () => {
    const res = await h.request("POST", "/admin/v1/tenants", { body: { bad: 1 }, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain("name");
  });

  test("a path with malformed percent-encoding → 400 admin error, nothing deleted", async () => {
    const before = h.services.tenants.list().length;
    for (const [method, path] of [["GET", "/tenants/%ZZ"], ["DELETE", "/tenants/%E0%A4%A"], ["DELETE", "/tenants/x/schemas/%ZZ"]]) {
      const res = await h.admin(method as string, path as string);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: "the URL path has a malformed percent-encoding", status: 400 });
    }
    expect(h.services.tenants.list().length).toBe(before);
  });

  test("a SCIM token on the admin API → 401", async () => {
    const t = await h.newTenant();
    const res = await h.request("GET", "/admin/v1/tenants", { token: t.token });
    expect(res.status).toBe(401);
  });

  test("create returns id, name, tenantUrl and a token that works under that URL only", async () => {
    const res = await h.admin("POST", "/tenants", { name: "Fabrikam" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; name: string; tenantUrl: string; token: string };
    expect(body.name).toBe("Fabrikam");
    expect(body.tenantUrl).toBe(`http://scimd.test/scim/v2/${body.id}`);
    expect(body.token.split(".")).toHaveLength(3);
    const ok = await h.request("GET", `/scim/v2/${body.id}/ServiceProviderConfig`, { token: body.token });
    expect(ok.status).toBe(200);
  });

  test.each([[{}], [{ name: "" }], [{ name: 5 }], ["not json"]])("bad body %j → 400, nothing created", async (body) => {
    const before = h.services.tenants.list().length;
    const res = await h.admin("POST", "/tenants", body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBeString();
    expect(h.services.tenants.list().length).toBe(before);
  });

  // Found by a review: "   " passed minLength and was stored as the empty name; the CLI refused it already.
  test("a name of only spaces → 400 from the API and a usage error from the CLI, nothing created; names are trimmed", async () => {
    const before = h.services.tenants.list().length;
    for (const name of ["   ", "\t\n", "\u00a0"]) {
      const res = await h.admin("POST", "/tenants", { name });
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect(await res.json()).toEqual({ error: "a tenant's name must not be empty or only spaces", status: 400 });
      await expect(execute(h.services, ["tenant", "create", "--name", name])).rejects.toThrow(UsageError);
    }
    expect(h.services.tenants.list().length).toBe(before);

    const res = await h.admin("POST", "/tenants", { name: "  Northwind  " });
    expect(((await res.json()) as { name: string }).name).toBe("Northwind");
    const cli = (await execute(h.services, ["tenant", "create", "--name", "  Northwind  "])) as { name: string };
    expect(cli.name).toBe("Northwind");
    // The same length limit on both sides.
    expect((await h.admin("POST", "/tenants", { name: "x".repeat(201) })).status).toBe(400);
    await expect(execute(h.services, ["tenant", "create", "--name", "x".repeat(201)])).rejects.toThrow(UsageError);
  });

  test("list, get with counts, delete removes everything of the tenant only", async () => {
    const keep = await h.newTenant("keep");
    const gone = await h.newTenant("gone");
    const list = (await (await h.admin("GET", "/tenants")).json()) as { id: string }[];
    expect(list.map((t) => t.id)).toEqual(expect.arrayContaining([keep.id, gone.id]));
    const one = (await (await h.admin("GET", `/tenants/${gone.id}`)).json()) as { users: number; groups: number };
    expect(one).toMatchObject({ users: 0, groups: 0 });

    expect((await h.admin("DELETE", `/tenants/${gone.id}`)).status).toBe(204);
    expect((await h.admin("GET", `/tenants/${gone.id}`)).status).toBe(404);
    expect((await h.admin("DELETE", `/tenants/${gone.id}`)).status).toBe(404);
    const db = h.services.db;
    for (const table of ["signing_keys", "tokens", "users", "groups", "group_members"]) {
      const row = db.query(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $id`).get({ id: gone.id }) as { n: number };
      expect(row.n).toBe(0);
    }
    const kept = db.query("SELECT count(*) AS n FROM tokens WHERE tenant_id = $id").get({ id: keep.id }) as { n: number };
    expect(kept.n).toBe(1);
    const res = await h.request("GET", `/scim/v2/${gone.id}/ServiceProviderConfig`, { token: gone.token });
    expect(res.status).toBe(401);
  });

  test("tokens: issue, list metadata only, revoke; unknown ids → 404", async () => {
    const t = await h.newTenant();
    const issued = (await (await h.admin("POST", `/tenants/${t.id}/tokens`, { description: "entra prod" })).json()) as { jti: string; token: string };
    const list = (await (await h.admin("GET", `/tenants/${t.id}/tokens`)).json()) as Record<string, unknown>[];
    expect(list).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain(issued.token);
    expect(list.find((x) => x.jti === issued.jti)).toMatchObject({ description: "entra prod", revoked: null });
    expect((await h.admin("DELETE", `/tenants/${t.id}/tokens/${issued.jti}`)).status).toBe(204);
    expect((await h.admin("DELETE", `/tenants/${t.id}/tokens/nope`)).status).toBe(404);
    expect((await h.admin("GET", `/tenants/${crypto.randomUUID()}/tokens`)).status).toBe(404);
  });

  test("the tokens themselves are never stored", async () => {
    const t = await h.newTenant();
    const dump = JSON.stringify(h.services.db.query("SELECT * FROM tokens").all()) + JSON.stringify(h.services.db.query("SELECT * FROM settings").all());
    expect(dump).not.toContain(t.token);
    expect(dump).not.toContain(t.token.split(".")[2]);
    expect(dump).not.toContain(TEST_ADMIN_TOKEN);
  });
});

// Found by a review: a new tenant's token and client secrets were answered without Cache-Control, so a browser
// or proxy cache could keep them. Every admin answer is no-store, errors and the live tail included.
describe("admin answers are never cached", () => {
  test("responses with secrets, lists, errors and the live tail all carry Cache-Control: no-store", async () => {
    const created = await h.admin("POST", "/tenants", { name: "Cached?" });
    const t = (await created.clone().json()) as { id: string };
    const client = await h.admin("POST", `/tenants/${t.id}/clients`);
    const { client_id } = (await client.clone().json()) as { client_id: string };
    const stream = await h.admin("GET", "/log/stream");
    const answers: [string, Response][] = [
      ["POST /tenants (token)", created],
      ["POST tokens", await h.admin("POST", `/tenants/${t.id}/tokens`)],
      ["POST clients (secret)", client],
      ["POST client secret", await h.admin("POST", `/tenants/${t.id}/clients/${client_id}/secret`)],
      ["GET /tenants", await h.admin("GET", "/tenants")],
      ["GET log", await h.admin("GET", "/log")],
      ["GET log/stream", stream],
      ["404", await h.admin("GET", `/tenants/${crypto.randomUUID()}`)],
      ["400", await h.admin("POST", "/tenants", { name: 5 })],
      ["401", await h.request("GET", "/admin/v1/tenants")],
      ["405", await h.admin("PUT", "/tenants")],
    ];
    await stream.body?.cancel();
    const seen = answers.map(([name, res]) => [name, res.headers.get("cache-control")]);
    expect(seen).toEqual(answers.map(([name]) => [name, expect.stringMatching(/(^|, )no-store(,|$)/)]));
    expect(stream.headers.get("cache-control")).toBe("no-store, no-transform");
  });

  test("SCIM answers keep their own caching headers (the rule is for /admin only)", async () => {
    const t = await h.newTenant();
    const res = await h.request("GET", `${t.url}/Users`, { token: t.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBeNull();
  });
});
