// The console's server side through the real router: the /ui page and its embedded assets, and the read-only
// directory routes it uses (admin token, not a tenant token).
import { beforeAll, describe, expect, test } from "bun:test";
import { CONSOLE_ASSETS } from "../../src/modules/console/assets";
import { searchFilter } from "../../src/modules/console/search";
import { createHarness, type Harness, type TestTenant } from "../support/harness";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

let hx: Harness;
const decoder = new TextDecoder();
const refsOf = (html: string) => [...html.matchAll(/<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);

beforeAll(async () => {
  hx = await createHarness();
});

describe("/ui", () => {
  test("is an HTML shell with a strict CSP that loads only this server's files", async () => {
    const res = await hx.request("GET", "/ui");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/html");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const html = await res.text();
    expect(html).not.toMatch(/https?:|["'(]\/\//);
    expect(html).not.toMatch(/<script>(?!<)|<style|style="/);
    const refs = refsOf(html);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(ref).toMatch(/^\/ui\/assets\/\w+\/[\w.-]+$/);
    expect((await hx.request("GET", "/ui/")).status).toBe(200);
  });

  test("every asset answers with its type, nosniff and a year of caching; a stale release's URL is 404", async () => {
    const html = await (await hx.request("GET", "/ui")).text();
    const types = new Set<string>();
    for (const ref of new Set(refsOf(html))) {
      const res = await hx.request("GET", ref);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      types.add(res.headers.get("content-type")!);
    }
    expect([...types].sort()).toEqual(["image/svg+xml", "text/css; charset=utf-8", "text/javascript; charset=utf-8"]);
    expect((await hx.request("GET", "/ui/assets/0000/app.mjs")).status).toBe(404);
    const base = refsOf(html).find((r) => r.endsWith("app.mjs"))!.replace("app.mjs", "");
    expect((await hx.request("GET", `${base}nope.mjs`)).status).toBe(404);
  });

  test("the scripts reach no other host, use no inline styles, and import only files that are embedded", () => {
    for (const [name, asset] of CONSOLE_ASSETS) {
      const text = decoder.decode(asset.body).replaceAll("http://www.w3.org/2000/svg", "");
      expect({ name, remote: /https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i.test(text) }).toEqual({ name, remote: false });
      expect(text).not.toMatch(/@import|fonts\.g|cdn/i);
      expect(text).not.toMatch(/setAttribute\("style"|innerHTML/);
      for (const [, imported] of text.matchAll(/from "\.\/([\w.-]+)"/g)) expect(CONSOLE_ASSETS.has(imported)).toBe(true);
    }
  });

  test("the console's pages stay out of the OpenAPI document; its admin routes are in it", async () => {
    const doc = (await (await hx.request("GET", "/docs/json")).json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    expect(paths.filter((p) => p.startsWith("/ui"))).toEqual([]);
    expect(paths).toContain("/admin/v1/tenants/{id}/users");
    expect(paths).toContain("/admin/v1/tenants/{id}/groups/{gid}/members");
  });
});

describe("directory routes for the console", () => {
  let tenant: TestTenant;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    tenant = await hx.newTenant("Fabrikam");
    for (const [key, email, ext] of [["ada", "ada@lab.example", "E-1"], ["bob", "robert@corp.example", "E-2"], ["quote", 'q"uote@corp.example', "E-3"]]) {
      const res = await hx.request("POST", `${tenant.url}/Users`, {
        token: tenant.token,
        body: { schemas: [USER], userName: `${key}@fabrikam.example`, externalId: ext, emails: [{ value: email, type: "work" }] },
      });
      ids[key] = ((await res.json()) as { id: string }).id;
    }
    const group = await hx.request("POST", `${tenant.url}/Groups`, {
      token: tenant.token,
      body: { schemas: [GROUP], displayName: "Readers", members: [{ value: ids.ada }, { value: ids.bob }] },
    });
    ids.readers = ((await group.json()) as { id: string }).id;
    await hx.request("POST", `${tenant.url}/Groups`, { token: tenant.token, body: { schemas: [GROUP], displayName: "Empty" } });
  });

  const list = async (path: string) => {
    const res = await hx.admin("GET", `/tenants/${tenant.id}${path}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { totalResults: number; startIndex: number; itemsPerPage: number; Resources: Record<string, unknown>[] };
  };

  test("need the admin token: a tenant's own Secret Token is not enough", async () => {
    expect((await hx.request("GET", `/admin/v1/tenants/${tenant.id}/users`)).status).toBe(401);
    expect((await hx.request("GET", `/admin/v1/tenants/${tenant.id}/users`, { token: tenant.token })).status).toBe(401);
    const missing = await hx.admin("GET", `/tenants/${crypto.randomUUID()}/users`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404 });
  });

  test("users: plain-text search over userName, emails and externalId, and paging", async () => {
    expect((await list("/users")).totalResults).toBe(3);
    expect((await list("/users?q=ROBERT")).Resources.map((u) => u.userName)).toEqual(["bob@fabrikam.example"]);
    expect((await list("/users?q=E-1")).Resources.map((u) => u.userName)).toEqual(["ada@fabrikam.example"]);
    expect((await list(`/users?q=${ids.bob}`)).Resources.map((u) => u.id)).toEqual([ids.bob]);
    // Quotes in the search text are data, not filter syntax.
    expect((await list(`/users?q=${encodeURIComponent('q"uote')}`)).Resources.map((u) => u.id)).toEqual([ids.quote]);
    const page = await list("/users?startIndex=2&count=1");
    expect(page).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
  });

  test("a SCIM filter works too, and a bad one is an admin 400 with the parser's words", async () => {
    expect((await list(`/users?filter=${encodeURIComponent('externalId eq "E-2"')}`)).Resources.map((u) => u.id)).toEqual([ids.bob]);
    const bad = await hx.admin("GET", `/tenants/${tenant.id}/users?filter=${encodeURIComponent("userName zz 1")}`);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; status: number };
    expect(body.status).toBe(400);
    expect(body.error).toContain("filter");
  });

  test("one user comes with its groups", async () => {
    const user = (await (await hx.admin("GET", `/tenants/${tenant.id}/users/${ids.ada}`)).json()) as { groups: { value: string }[] };
    expect(user.groups.map((g) => g.value)).toEqual([ids.readers]);
    expect((await hx.admin("GET", `/tenants/${tenant.id}/users/${crypto.randomUUID()}`)).status).toBe(404);
  });

  test("groups carry member counts, never the members", async () => {
    const groups = await list("/groups");
    expect(groups.Resources.map((g) => [g.displayName, g.memberCount])).toEqual([["Readers", 2], ["Empty", 0]]);
    for (const g of groups.Resources) expect(g.members).toBeUndefined();
    const one = (await (await hx.admin("GET", `/tenants/${tenant.id}/groups/${ids.readers}`)).json()) as Record<string, unknown>;
    expect(one.memberCount).toBe(2);
    expect(one.members).toBeUndefined();
  });

  test("members: a page at a time, by name, searchable, with their current names and status", async () => {
    const all = await list(`/groups/${ids.readers}/members`);
    expect(all.Resources).toEqual([
      { value: ids.ada, type: "User", display: null, userName: "ada@fabrikam.example", active: true },
      { value: ids.bob, type: "User", display: null, userName: "bob@fabrikam.example", active: true },
    ]);
    expect(await list(`/groups/${ids.readers}/members?startIndex=2&count=1`)).toMatchObject({ totalResults: 2, itemsPerPage: 1, Resources: [{ value: ids.bob }] });
    expect((await list(`/groups/${ids.readers}/members?q=BOB`)).Resources.map((m) => m.value)).toEqual([ids.bob]);
    // LIKE wildcards in the search are literal.
    expect((await list(`/groups/${ids.readers}/members?q=%25`)).totalResults).toBe(0);
  });

  // Found by a review: both reached SQLite as they came (a REAL offset, or one past 2^63) and answered 500.
  test("members: startIndex and count as the SCIM list takes them — a fraction is a 400, a huge startIndex an empty page", async () => {
    for (const query of ["startIndex=1.5", "count=2.5"]) {
      const res = await hx.admin("GET", `/tenants/${tenant.id}/groups/${ids.readers}/members?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      const body = (await res.json()) as { error: string; status: number };
      expect(body).toEqual({ error: expect.stringContaining(query.split("=")[0]!), status: 400 });
      const users = await hx.admin("GET", `/tenants/${tenant.id}/users?${query}`);
      expect(users.status).toBe(400);
    }
    for (const path of [`/groups/${ids.readers}/members`, "/users"]) {
      const huge = await list(`${path}?startIndex=99999999999999999999`);
      expect(huge).toMatchObject({ totalResults: path === "/users" ? 3 : 2, startIndex: Number.MAX_SAFE_INTEGER, itemsPerPage: 0, Resources: [] });
    }
  });

  test("another tenant's group is not found here", async () => {
    const other = await hx.newTenant("Northwind");
    expect((await hx.admin("GET", `/tenants/${other.id}/groups/${ids.readers}/members`)).status).toBe(404);
    expect((await hx.admin("GET", `/tenants/${other.id}/users/${ids.ada}`)).status).toBe(404);
  });
});

describe("searchFilter", () => {
  test("quotes the text as a JSON string and ANDs it with a given filter", () => {
    expect(searchFilter("Group", 'a"b\\c')).toBe('displayName co "a\\"b\\\\c" or externalId eq "a\\"b\\\\c" or id eq "a\\"b\\\\c"');
    expect(searchFilter("Group", "x", 'externalId pr')).toStartWith('(externalId pr) and (displayName co "x"');
    expect(searchFilter("User", "  ")).toBeUndefined();
    expect(searchFilter("User", undefined, " ")).toBeUndefined();
  });
});
