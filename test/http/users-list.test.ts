// GET /Users lists (RFC 7644 §3.4.2): paging, filters, and attributes/excludedAttributes on every response.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, ENT, expectScimError, idsOf, LIST, patchOp, q, resources, setUp, USER } from "./client";
import { everyAttribute } from "./user-fixture";

let c: Client;
let manager: Doc;

beforeAll(async () => {
  c = await setUp();
  manager = await c.user({ userName: "boss@example.com", displayName: "The Boss" });
});

describe("attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9)", () => {
  let u: Doc;
  beforeAll(async () => {
    u = await c.user(everyAttribute("projection@example.com", String(manager.id)));
  });

  const cases: [string, (u: Doc) => Doc][] = [
    ["attributes=userName", (u) => ({ schemas: [USER], id: u.id, userName: u.userName })],
    ["attributes=USERNAME,name.givenName", (u) => ({ schemas: [USER], id: u.id, userName: u.userName, name: { givenName: "Barbara" } })],
    ["attributes=emails.value", (u) => ({ schemas: [USER], id: u.id, emails: [{ value: "bjensen@example.com" }, { value: "babs@jensen.org" }] })],
    [`attributes=${ENT}:department`, (u) => ({ schemas: [USER, ENT], id: u.id, [ENT]: { department: "Tour Operations" } })],
    [`attributes=${ENT}`, (u) => ({ schemas: [USER, ENT], id: u.id, [ENT]: u[ENT] })],
    ["attributes=meta.version", (u) => ({ schemas: [USER], id: u.id, meta: { version: (u.meta as Doc).version } })],
  ];
  const excluded: [string, string[]][] = [
    ["excludedAttributes=emails,phoneNumbers", ["emails", "phoneNumbers"]],
    ["excludedAttributes=name", ["name"]],
    [`excludedAttributes=${ENT}`, [ENT]],
    ["excludedAttributes=id", []], // returned "always": id cannot be excluded
  ];

  for (const [query, expected] of cases) {
    test(`${query} on GET by id, on the list and on POST/PUT/PATCH responses`, async () => {
      const want = expected(u);
      expect((await c.get(`/Users/${u.id}?${query}`)).body).toEqual(want);
      const list = await c.get(`/Users?${query}&filter=${q(`id eq "${u.id}"`)}`);
      expect(resources(list.body)).toEqual([want]);
      // Writes move meta.version on: compare everything else, and meta's shape.
      const put = await c.put(`/Users/${u.id}?${query}`, everyAttribute("projection@example.com", String(manager.id)));
      expect(put.status).toBe(200);
      expect({ ...put.body, meta: undefined }).toEqual({ ...want, meta: undefined });
      expect(Object.keys(put.body).sort()).toEqual(Object.keys(want).sort());
      const patched = await c.patch(`/Users/${u.id}?${query}`, patchOp({ op: "replace", path: "title", value: "Tour Guide" }));
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual(put.body);
      u = (await c.get(`/Users/${u.id}`)).body;
      const fresh = { ...everyAttribute(`p-${crypto.randomUUID()}@example.com`, String(manager.id)) };
      const posted = await c.post(`/Users?${query}`, fresh);
      expect(posted.status).toBe(201);
      expect(Object.keys(posted.body).sort()).toEqual(Object.keys(want).sort());
    });
  }

  for (const [query, gone] of excluded) {
    test(`${query} drops only those attributes`, async () => {
      const full = (await c.get(`/Users/${u.id}`)).body;
      const want: Doc = { ...full };
      for (const k of gone) delete want[k];
      if (gone.includes(ENT)) want.schemas = [USER];
      expect((await c.get(`/Users/${u.id}?${query}`)).body).toEqual(want);
      expect(resources((await c.get(`/Users?${query}&filter=${q(`id eq "${u.id}"`)}`)).body)).toEqual([want]);
    });
  }
});

describe("GET /Users: list and paging (RFC 7644 §3.4.2, §3.4.2.4)", () => {
  let p: Client;
  let all: string[];
  const N = 25;
  beforeAll(async () => {
    p = await setUp("paging");
    all = [];
    // Created out of alphabetical order, so that insertion order and userName order differ.
    for (let i = 0; i < N; i++) {
      const n = (i * 7) % N;
      all.push(String((await p.user({ userName: `user${String(n).padStart(2, "0")}@example.com` })).id));
    }
  });

  test("ListResponse: schemas, exact totalResults, itemsPerPage, 1-based startIndex, Resources", async () => {
    const r = await p.get("/Users");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toStartWith("application/scim+json");
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: N, itemsPerPage: N, startIndex: 1 });
    expect(idsOf(r.body).sort()).toEqual([...all].sort());
  });

  test("pages of 10 from startIndex 1, 11, 21 cover every user once, in a stable order", async () => {
    const pages = [];
    for (const start of [1, 11, 21]) {
      const r = await p.get(`/Users?startIndex=${start}&count=10`);
      expect(r.body).toMatchObject({ totalResults: N, startIndex: start, itemsPerPage: start === 21 ? 5 : 10 });
      pages.push(...idsOf(r.body));
    }
    expect(pages.length).toBe(N);
    expect(new Set(pages).size).toBe(N);
    expect(idsOf((await p.get(`/Users?count=${N}`)).body)).toEqual(pages);
    expect(idsOf((await p.get(`/Users?count=${N}`)).body)).toEqual(pages);
  });

  test("sortBy=userName pages in userName order (RFC 7644 §3.4.2.3)", async () => {
    const names: string[] = [];
    for (const start of [1, 11, 21]) {
      const r = await p.get(`/Users?sortBy=userName&startIndex=${start}&count=10`);
      names.push(...resources(r.body).map((u) => String(u.userName)));
    }
    expect(names).toEqual(Array.from({ length: N }, (_, i) => `user${String(i).padStart(2, "0")}@example.com`));
    const desc = await p.get("/Users?sortBy=userName&sortOrder=descending&count=3");
    expect(resources(desc.body).map((u) => u.userName)).toEqual(["user24@example.com", "user23@example.com", "user22@example.com"]);
  });

  test.each([
    ["count=0 → totalResults only", "count=0", { totalResults: N, itemsPerPage: 0, startIndex: 1 }, 0],
    ["startIndex past the end → empty page", "startIndex=26", { totalResults: N, itemsPerPage: 0, startIndex: 26 }, 0],
    ["startIndex beyond 2^63 → an empty page, not a 500", "startIndex=9223372036854775808", { totalResults: N, itemsPerPage: 0 }, 0],
    ["startIndex=0 is taken as 1", "startIndex=0&count=2", { totalResults: N, itemsPerPage: 2, startIndex: 1 }, 2],
    ["startIndex=-5 is taken as 1", "startIndex=-5&count=2", { totalResults: N, itemsPerPage: 2, startIndex: 1 }, 2],
    ["negative count is taken as 0", "count=-3", { totalResults: N, itemsPerPage: 0 }, 0],
    ["a filter's totalResults counts matches, not the page", `filter=${q('userName sw "user1"')}&count=3`, { totalResults: 10, itemsPerPage: 3 }, 3],
    ["parameter names are case-insensitive", "STARTINDEX=24&Count=10", { totalResults: N, itemsPerPage: 2, startIndex: 24 }, 2],
  ])("%s", async (_name, query, page, n) => {
    const r = await p.get(`/Users?${query}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject(page);
    expect(resources(r.body).length).toBe(n);
  });

  test("count above the maximum is capped at ServiceProviderConfig filter.maxResults", async () => {
    const spc = await p.get("/ServiceProviderConfig");
    const max = Number((spc.body.filter as Doc).maxResults);
    expect(max).toBeGreaterThan(0);
    const big = await setUp("big");
    const users = big.h.services.users;
    for (let i = 0; i < max + 5; i++) await users.create(big.tenant.id, { schemas: [USER], userName: `bulk${i}` }, {});
    const r = await big.get(`/Users?count=${max * 10}&attributes=id`);
    expect(r.body).toMatchObject({ totalResults: max + 5, itemsPerPage: max });
    expect(resources(r.body).length).toBe(max);
    const rest = await big.get(`/Users?startIndex=${max + 1}&count=${max * 10}&attributes=id`);
    expect(resources(rest.body).length).toBe(5);
  });
});

describe("GET /Users?filter (RFC 7644 §3.4.2.2)", () => {
  let f: Client;
  beforeAll(async () => {
    f = await setUp("filters");
    await f.user(everyAttribute("bjensen@example.com", String(manager.id)));
    await f.user({ userName: "other@example.com", name: { familyName: "Jensen" }, active: false, emails: [{ value: "bjensen@example.com", type: "home" }] });
  });
  test.each([
    ['userName eq "BJENSEN@example.com"', 1],
    ['externalId eq "ext-bjensen@example.com"', 1],
    ['externalId eq "EXT-bjensen@example.com"', 0], // externalId is caseExact (RFC 7643 §3.1)
    ['emails[type eq "work"].value eq "bjensen@example.com"', 1],
    [`${ENT}:employeeNumber eq "701984"`, 1],
    ['name.familyName eq "jensen" and active eq true', 1],
    ['userName eq "nobody@example.com"', 0],
  ])("%s → %d", async (filter, n) => {
    const r = await f.get(`/Users?filter=${q(filter)}`);
    expect(r.status).toBe(200);
    expect(r.body.totalResults).toBe(n);
    expect(resources(r.body).length).toBe(n);
  });
});

// RFC 7643 §4.1.1 leaves active's meaning to the service provider: here a user is active unless told otherwise.
// What GET shows and what a filter on `active` sees must agree (RFC 7644 §3.4.2.2 pr: "has a non-empty value").
describe("a user written without active is active, in GET and in filters alike", () => {
  let f: Client;
  let id: string;
  beforeAll(async () => {
    f = await setUp("active");
    id = String((await f.user({ userName: "noactive@example.com" })).id);
    await f.user({ userName: "off@example.com", active: false });
  });
  test("GET answers active: true", async () => {
    expect((await f.get(`/Users/${id}`)).body.active).toBe(true);
  });
  test.each([
    ["active pr", ["noactive@example.com", "off@example.com"]],
    ["active eq null", []],
    ["active eq true", ["noactive@example.com"]],
    ["not (active eq false)", ["noactive@example.com"]],
  ])("%s → %p", async (filter, expected) => {
    const r = await f.get(`/Users?filter=${q(filter)}&sortBy=userName`);
    expect(resources(r.body).map((u) => u.userName)).toEqual(expected);
  });
  test("PUT without active sets the default, not no value", async () => {
    const r = await f.put(`/Users/${id}`, { schemas: [USER], userName: "noactive@example.com" });
    expect(r.body.active).toBe(true);
    expect((await f.get(`/Users?filter=${q("active eq null")}`)).body.totalResults).toBe(0);
  });
});

describe("GET /Users?filter beyond ASCII (RFC 7643 §2.2 caseExact=false)", () => {
  let f: Client;
  beforeAll(async () => {
    f = await setUp("unicode-filters");
    await f.user({ userName: "emile@example.fr", displayName: "Émile Zola", name: { givenName: "Émile", familyName: "Zola" } });
    await f.user({ userName: "emile.plain@example.fr", displayName: "Emile Zola" });
    await f.user({ userName: "ivan@example.ru", displayName: "Иван Петров", title: "Straße" });
  });
  test.each([
    ['displayName eq "ÉMILE ZOLA"', ["emile@example.fr"]],
    ['displayName sw "émile"', ["emile@example.fr"]],
    ['name.givenName eq "ÉMILE"', ["emile@example.fr"]],
    ['displayName co "иван п"', ["ivan@example.ru"]],
    ['displayName ew "ПЕТРОВ"', ["ivan@example.ru"]],
    ['title eq "STRAẞE"', ["ivan@example.ru"]],
    ['displayName ne "émile zola"', ["emile.plain@example.fr", "ivan@example.ru"]],
  ])("%s finds %p", async (filter, userNames) => {
    const r = await f.get(`/Users?filter=${q(filter)}&sortBy=userName`);
    expect(r.status).toBe(200);
    expect(resources(r.body).map((u) => u.userName)).toEqual(userNames);
    const searched = await f.post("/Users/.search", { filter, sortBy: "userName" });
    expect(resources(searched.body).map((u) => u.userName)).toEqual(userNames);
  });

  // Ordering and sortBy compare whole values folded (SQLite's lower() alone leaves É and é apart), the same as
  // the folded keys of userName and a group's displayName, so a root search sorts Users and Groups together.
  test("gt/lt and sortBy order case-insensitively beyond ASCII, on Users and at the root", async () => {
    const g = await setUp("unicode-order");
    for (const [userName, displayName] of [["ann", "Éa"], ["ben", "éb"], ["cat", "Éc"], ["dan", "zed"]]) await g.user({ userName, displayName });
    await g.group({ displayName: "ÉBB" });
    const names = (body: Doc) => resources(body).map((r) => String(r.userName ?? r.displayName));
    expect(names((await g.get(`/Users?filter=${q('displayName gt "à"')}&sortBy=userName`)).body)).toEqual(["ann", "ben", "cat"]);
    expect(names((await g.get(`/Users?filter=${q('displayName lt "ÉB"')}&sortBy=userName`)).body)).toEqual(["ann", "dan"]);
    expect(names((await g.get("/Users?sortBy=displayName")).body)).toEqual(["dan", "ann", "ben", "cat"]);
    expect(names((await g.get("/Users?sortBy=displayName&sortOrder=descending")).body)).toEqual(["cat", "ben", "ann", "dan"]);
    const first = await g.get("/Users?sortBy=displayName&count=2&cursor=");
    const next = await g.get(`/Users?sortBy=displayName&count=2&cursor=${first.body.nextCursor}`);
    expect([...names(first.body), ...names(next.body)]).toEqual(["dan", "ann", "ben", "cat"]);
    const root = await g.post("/.search", { sortBy: "displayName" });
    expect(names(root.body)).toEqual(["dan", "ann", "ben", "ÉBB", "cat"]);
  });

  // userName is stored with a case-folded key: lower-casing would give ΟΔΟΣ a final ς and οδοσ a σ.
  test.each([
    ['userName eq "οδοσ@example.gr"'],
    ['userName eq "ΟΔΟΣ@EXAMPLE.GR"'],
    ['userName eq "Οδος@example.gr"'],
    ['userName sw "οδοσ"'],
    ['userName co "ΔΟΣ@"'],
  ])("%s finds the user named ΟΔΟΣ@example.gr", async (filter) => {
    const g = await setUp(`unicode-keys ${filter}`);
    await g.user({ userName: "ΟΔΟΣ@example.gr" });
    expect(resources((await g.get(`/Users?filter=${q(filter)}`)).body).map((u) => u.userName)).toEqual(["ΟΔΟΣ@example.gr"]);
  });

  test("userNames that differ only in case beyond ASCII (σ, ς, Σ) are one userName → 409 uniqueness", async () => {
    const g = await setUp("unicode-unique");
    await g.user({ userName: "ΟΔΟΣ@example.gr" });
    for (const userName of ["οδοσ@example.gr", "οδος@example.gr", "Οδοσ@Example.gr"]) {
      expectScimError(await g.post("/Users", { schemas: [USER], userName }), 409, "uniqueness");
    }
  });
});
