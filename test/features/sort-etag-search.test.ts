// Issue 4 §1, §2, §4: sorting (RFC 7644 §3.4.2.3), versioning (§3.14) and POST /.search (§3.4.3).
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { commonAttributes } from "../../src/scim/schema/common-attributes";
import { createRegistry } from "../../src/scim/schema/registry";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let h: Harness;
let t: TestTenant;
const scim = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  h.request(method, `${t.url}${path}`, { token: t.token, body, headers });
const names = async (res: Response) => ((await res.json()) as { Resources: { userName?: string; displayName?: string }[] }).Resources.map((r) => r.userName ?? r.displayName);

beforeAll(async () => {
  h = await createHarness();
  t = await h.newTenant();
  const people = [
    ["delta", "Zoe", "b@x.com", "Ops"],
    ["Alpha", "ann", "d@x.com", "Eng"],
    ["charlie", undefined, "a@x.com", "eng"],
    ["bravo", "Bob", "c@x.com", undefined],
  ] as const;
  for (const [userName, given, email, dept] of people) {
    const body: Record<string, unknown> = { userName, emails: [{ type: "work", value: email, primary: true }] };
    if (given) body.name = { givenName: given };
    if (dept) body[ENT] = { department: dept };
    expect((await scim("POST", "/Users", body)).status).toBe(201);
    await Bun.sleep(2); // distinct meta.lastModified
  }
  expect((await scim("POST", "/Groups", { displayName: "Readers" })).status).toBe(201);
});

describe("§3.4.2.3 sorting", () => {
  test.each([
    ["userName", "ascending", ["Alpha", "bravo", "charlie", "delta"]],
    ["userName", "descending", ["delta", "charlie", "bravo", "Alpha"]],
    ["name.givenName", "ascending", ["Alpha", "bravo", "delta", "charlie"]], // caseExact false: ann < Bob < Zoe; missing last
    ["name.givenName", "descending", ["charlie", "delta", "bravo", "Alpha"]], // missing first when descending
    ["emails.value", "ascending", ["charlie", "delta", "bravo", "Alpha"]],
    ["meta.lastModified", "descending", ["bravo", "charlie", "Alpha", "delta"]],
    [`${ENT}:department`, "ascending", ["Alpha", "charlie", "delta", "bravo"]],
  ])("sortBy=%s sortOrder=%s", async (sortBy, sortOrder, expected) => {
    const res = await scim("GET", `/Users?sortBy=${encodeURIComponent(sortBy)}&sortOrder=${sortOrder}`);
    expect(res.status).toBe(200);
    expect(await names(res)).toEqual(expected);
  });

  test("sorting is stable with paging: pages concatenate to the full order", async () => {
    const full = await names(await scim("GET", "/Users?sortBy=name.givenName"));
    const pages: (string | undefined)[] = [];
    for (let start = 1; start <= 4; start += 2) pages.push(...(await names(await scim("GET", `/Users?sortBy=name.givenName&startIndex=${start}&count=2`))));
    expect(pages).toEqual(full);
  });

  // Within one resource type meta.resourceType is one value: it orders nothing, and once made SQLite read the
  // constant as a column number (a 500).
  test.each(["Users", "Groups"])("GET /%s?sortBy=meta.resourceType is the creation order, either way", async (endpoint) => {
    const plain = await names(await scim("GET", `/${endpoint}`));
    const asc = await scim("GET", `/${endpoint}?sortBy=meta.resourceType`);
    expect(asc.status).toBe(200);
    expect(await names(asc)).toEqual(plain);
    expect(await names(await scim("GET", `/${endpoint}?sortBy=meta.resourceType&sortOrder=descending`))).toEqual(plain.reverse());
  });

  test("every attribute and sub-attribute of every schema sorts (200) or is refused (400): never a 5xx", async () => {
    const own = await createHarness({ SCIMD_RATE_LIMIT: "0" });
    const tenant = await own.newTenant();
    const get = (path: string) => own.request("GET", `${tenant.url}${path}`, { token: tenant.token });
    await own.request("POST", `${tenant.url}/Users`, { token: tenant.token, body: { userName: "u", emails: [{ value: "a@x" }] } });
    await own.request("POST", `${tenant.url}/Groups`, { token: tenant.token, body: { displayName: "g" } });
    const registry = createRegistry();
    const failures: string[] = [];
    for (const type of ["User", "Group"] as const) {
      for (const schema of registry.schemasFor(type)) {
        const core = schema.id === registry.coreSchema(type).id;
        for (const a of [...schema.attributes, ...(core ? commonAttributes : [])]) {
          const name = core ? a.name : `${schema.id}:${a.name}`;
          for (const path of [name, ...(a.subAttributes ?? []).map((s) => `${name}.${s.name}`)]) {
            for (const extra of ["", "&sortOrder=descending", "&cursor="]) {
              const res = await get(`/${type}s?sortBy=${encodeURIComponent(path)}${extra}`);
              if (res.status !== 200 && res.status !== 400) failures.push(`${type} ${path}${extra} → ${res.status}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test("sortBy on an unknown attribute → 400 invalidValue", async () => {
    const res = await scim("GET", "/Users?sortBy=shoeSize");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { scimType: string }).scimType).toBe("invalidValue");
  });
});

describe("§3.14 versioning", () => {
  const userId = async () => ((await (await scim("GET", '/Users?filter=userName eq "delta"')).json()) as { Resources: { id: string }[] }).Resources[0].id;

  test("every single-resource response carries a weak ETag equal to meta.version", async () => {
    const res = await scim("GET", `/Users/${await userId()}`);
    const body = (await res.json()) as { meta: { version: string } };
    expect(res.headers.get("etag")).toMatch(/^W\/"\d+"$/);
    expect(body.meta.version).toBe(res.headers.get("etag")!);
  });

  test("If-None-Match with the current version → 304; with an old one → 200", async () => {
    const id = await userId();
    const etag = (await scim("GET", `/Users/${id}`)).headers.get("etag")!;
    expect((await scim("GET", `/Users/${id}`, undefined, { "if-none-match": etag })).status).toBe(304);
    expect((await scim("GET", `/Users/${id}`, undefined, { "if-none-match": 'W/"0"' })).status).toBe(200);
  });

  test.each(["PUT", "PATCH", "DELETE"])("%s with a stale If-Match → 412, nothing changed", async (method) => {
    const id = await userId();
    const before = await (await scim("GET", `/Users/${id}`)).text();
    const body =
      method === "PUT" ? { userName: "delta", title: "x" } : method === "PATCH" ? { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "title", value: "x" }] } : undefined;
    const res = await scim(method, `/Users/${id}`, body, { "if-match": 'W/"999"' });
    expect(res.status).toBe(412);
    expect(await (await scim("GET", `/Users/${id}`)).text()).toBe(before);
  });

  test("two clients racing with the same ETag: exactly one wins", async () => {
    const id = await userId();
    const etag = (await scim("GET", `/Users/${id}`)).headers.get("etag")!;
    const patch = (title: string) =>
      scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: title }] }, { "if-match": etag });
    const results = await Promise.all([patch("first"), patch("second"), patch("third")]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
  });

  test("a group's version changes when only its membership does", async () => {
    const group = ((await (await scim("GET", '/Groups?filter=displayName eq "Readers"')).json()) as { Resources: { id: string; meta: { version: string } }[] }).Resources[0];
    const res = await scim("PATCH", `/Groups/${group.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: await userId() }] }] });
    expect(res.status).toBe(204);
    expect(res.headers.get("etag")).not.toBe(group.meta.version);
  });
});

describe("§3.4.3 POST /.search", () => {
  const search = (path: string, body: Record<string, unknown>) => scim("POST", path, { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], ...body });

  test("per resource type, with filter, sort, paging and attributes", async () => {
    const res = await search("/Users/.search", { filter: 'userName sw "b" or userName sw "c"', sortBy: "userName", sortOrder: "descending", startIndex: 1, count: 10, attributes: ["userName"] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { totalResults: number; Resources: Record<string, unknown>[] };
    expect(body.totalResults).toBe(2);
    expect(body.Resources.map((r) => r.userName)).toEqual(["charlie", "bravo"]);
    expect(Object.keys(body.Resources[0]).sort()).toEqual(["id", "schemas", "userName"]);
  });

  test("at the tenant root across Users and Groups", async () => {
    const all = (await (await search("/.search", { count: 100 })).json()) as { totalResults: number; Resources: { meta: { resourceType: string } }[] };
    expect(all.totalResults).toBe(5);
    expect(all.Resources.map((r) => r.meta.resourceType)).toEqual(["User", "User", "User", "User", "Group"]);
    const paged = (await (await search("/.search", { startIndex: 4, count: 2 })).json()) as { Resources: { meta: { resourceType: string } }[] };
    expect(paged.Resources.map((r) => r.meta.resourceType)).toEqual(["User", "Group"]);
    const groupsOnly = (await (await search("/.search", { filter: 'displayName eq "readers"' })).json()) as { totalResults: number };
    expect(groupsOnly.totalResults).toBe(1);
  });

  test("an unknown key is ignored, __proto__ too: what it holds is no parameter", async () => {
    const res = await search("/Users/.search", { ["__proto__"]: { filter: 'userName eq "nobody"', count: 1 } });
    expect(((await res.json()) as { totalResults: number; itemsPerPage: number })).toMatchObject({ totalResults: 4, itemsPerPage: 4 });
  });

  // RFC 7644 §3.4.2.1: "a filter ... applied to attributes that are not present in a resource type" matches as
  // no value there; §3.4.2.3 sortBy orders the whole answer, resources without a value last (first descending).
  describe("at the root, an attribute one type lacks has no value there", () => {
    let r: TestTenant;
    const root = async (body: Record<string, unknown>) => {
      const res = await h.request("POST", `${r.url}/.search`, { token: r.token, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], ...body } });
      const json = (await res.json()) as { totalResults: number; scimType?: string; Resources: { userName?: string; displayName?: string; meta: { resourceType: string } }[] };
      return { ...json, status: res.status, names: (json.Resources ?? []).map((x) => `${x.meta.resourceType[0]}:${x.userName ?? x.displayName}`) };
    };
    beforeAll(async () => {
      r = await h.newTenant("Root");
      const post = (path: string, body: unknown) => h.request("POST", `${r.url}${path}`, { token: r.token, body });
      for (const [userName, displayName] of [["mike", "Mike"], ["zoe", "Zoe"], ["admins", "Al"], ["nodisplay", undefined]]) {
        expect((await post("/Users", { userName, displayName })).status).toBe(201);
      }
      for (const displayName of ["Beta", "Admins"]) expect((await post("/Groups", { displayName })).status).toBe(201);
    });

    test.each([
      ['displayName eq "Admins" or userName eq "nobody"', ["G:Admins"]],
      ["not (userName pr)", ["G:Beta", "G:Admins"]],
      ["userName eq null", ["G:Beta", "G:Admins"]],
      ['userName ne "mike" and not (displayName pr)', ["U:nodisplay"]],
      ['members[type eq "User"] or userName eq "zoe"', ["U:zoe"]],
      ['emails ne "x@example.com" and displayName sw "a"', ["U:admins", "G:Admins"]],
    ])("filter %s → %p", async (filter, expected) => {
      const res = await root({ filter });
      expect(res.status).toBe(200);
      expect(res.names).toEqual(expected);
      expect(res.totalResults).toBe(expected.length);
    });

    test.each(['shoeSize eq "9"', "userName gt null", 'active eq "maybe"'])("a filter invalid for every type (%s) → 400 invalidFilter", async (filter) => {
      const res = await root({ filter });
      expect([res.status, res.scimType]).toEqual([400, "invalidFilter"]);
    });

    test.each([
      ["displayName", "ascending", ["G:Admins", "U:admins", "G:Beta", "U:mike", "U:zoe", "U:nodisplay"]],
      ["displayName", "descending", ["U:nodisplay", "U:zoe", "U:mike", "G:Beta", "U:admins", "G:Admins"]],
      ["userName", "ascending", ["U:admins", "U:mike", "U:nodisplay", "U:zoe", "G:Beta", "G:Admins"]],
      ["userName", "descending", ["G:Admins", "G:Beta", "U:zoe", "U:nodisplay", "U:mike", "U:admins"]],
      ["meta.resourceType", "ascending", ["G:Beta", "G:Admins", "U:mike", "U:zoe", "U:admins", "U:nodisplay"]],
      ["meta.resourceType", "descending", ["U:nodisplay", "U:admins", "U:zoe", "U:mike", "G:Admins", "G:Beta"]],
    ])("sortBy=%s %s sorts Users and Groups together", async (sortBy, sortOrder, expected) => {
      const res = await root({ sortBy, sortOrder });
      expect(res.status).toBe(200);
      expect(res.names).toEqual(expected);
      expect(res.totalResults).toBe(6);
    });

    test("sorted pages are slices of the whole order; totalResults stays exact", async () => {
      const whole = (await root({ sortBy: "displayName" })).names;
      const pages: string[] = [];
      for (const startIndex of [1, 3, 5, 7]) {
        const page = await root({ sortBy: "displayName", startIndex, count: 2 });
        expect(page.totalResults).toBe(6);
        pages.push(...page.names);
      }
      expect(pages).toEqual(whole);
      const filtered = await root({ filter: 'displayName sw "a" or userName sw "m"', sortBy: "displayName", startIndex: 2, count: 1 });
      expect([filtered.totalResults, filtered.names]).toEqual([3, ["U:admins"]]);
      expect((await root({ sortBy: "displayName", count: 0 })).totalResults).toBe(6);
    });

    test("a sortBy invalid for every type → 400", async () => {
      expect((await root({ sortBy: "shoeSize" })).status).toBe(400);
      expect((await root({ sortBy: "name" })).status).toBe(400);
    });
  });

  test("a body without the SearchRequest schema, or not an object → 400", async () => {
    expect((await scim("POST", "/Users/.search", { schemas: ["urn:wrong"], filter: "userName pr" })).status).toBe(400);
    expect((await scim("POST", "/Users/.search", [1, 2])).status).toBe(400);
  });
});
