// Issue 4 §3: RFC 9865 cursor paging — nextCursor/previousCursor, invalid and expired cursors, and
// pages that neither skip nor repeat rows while other clients insert and delete.
import { beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { createApp } from "../../src/app";
import { createFileStack } from "../auth/support";
import { createHarness, type Harness, type TestTenant } from "../support/harness";

let h: Harness;
let t: TestTenant;
type Page = { totalResults: number; itemsPerPage: number; nextCursor?: string; previousCursor?: string; Resources: { id: string; userName: string }[] };

const get = async (path: string) => {
  const res = await h.request("GET", `${t.url}${path}`, { token: t.token });
  return { status: res.status, body: (await res.json()) as Page & { scimType?: string; detail?: string } };
};
const createUser = async (userName: string, extra: Record<string, unknown> = {}) => {
  const res = await h.request("POST", `${t.url}/Users`, { token: t.token, body: { userName, ...extra } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

beforeAll(async () => {
  h = await createHarness();
  t = await h.newTenant();
  for (let i = 0; i < 25; i++) await createUser(`user${String(i).padStart(2, "0")}`, { title: i % 3 === 0 ? undefined : `t${i % 4}` });
});

async function walk(query: string) {
  const seen: string[] = [];
  let page = (await get(`/Users?cursor&count=7${query}`)).body;
  for (let guard = 0; guard < 20; guard++) {
    seen.push(...page.Resources.map((r) => r.userName));
    if (!page.nextCursor) break;
    page = (await get(`/Users?cursor=${encodeURIComponent(page.nextCursor)}&count=7${query}`)).body;
  }
  return seen;
}

describe("RFC 9865 cursor paging", () => {
  test("§3: an empty cursor starts; nextCursor walks every row once, in order", async () => {
    const first = await get("/Users?cursor=&count=7");
    expect(first.status).toBe(200);
    expect(first.body.totalResults).toBe(25);
    expect(first.body.itemsPerPage).toBe(7);
    expect(first.body.previousCursor).toBeUndefined();
    expect(first.body.nextCursor).toBeString();
    const all = await walk("");
    expect(all).toEqual(Array.from({ length: 25 }, (_, i) => `user${String(i).padStart(2, "0")}`));
  });

  test("cursor paging with sortBy (descending, with missing values) visits each row once in sort order", async () => {
    const seen = await walk("&sortBy=title&sortOrder=descending");
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const index = await get("/Users?count=100&sortBy=title&sortOrder=descending");
    expect(seen).toEqual(index.body.Resources.map((r) => r.userName));
  });

  test("previousCursor returns to the page before", async () => {
    const p1 = (await get("/Users?cursor&count=5")).body;
    const p2 = (await get(`/Users?cursor=${encodeURIComponent(p1.nextCursor!)}&count=5`)).body;
    expect(p2.previousCursor).toBeString();
    const back = (await get(`/Users?cursor=${encodeURIComponent(p2.previousCursor!)}&count=5`)).body;
    expect(back.Resources.map((r) => r.id)).toEqual(p1.Resources.map((r) => r.id));
    expect(back.previousCursor).toBeUndefined();
    expect(back.nextCursor).toBeString();
  });

  test("rows inserted and deleted between pages are neither skipped nor repeated", async () => {
    const p1 = (await get("/Users?cursor&count=10&filter=userName sw \"user\"")).body;
    // Delete a row already seen and one not yet seen; insert a new one.
    const seenId = p1.Resources[3].id;
    const later = (await get('/Users?filter=userName eq "user20"')).body.Resources[0].id;
    expect((await h.request("DELETE", `${t.url}/Users/${seenId}`, { token: t.token })).status).toBe(204);
    expect((await h.request("DELETE", `${t.url}/Users/${later}`, { token: t.token })).status).toBe(204);
    await createUser("user99");
    const rest: string[] = [];
    let cursor = p1.nextCursor;
    while (cursor) {
      const page = (await get(`/Users?cursor=${encodeURIComponent(cursor)}&count=10&filter=userName sw "user"`)).body;
      rest.push(...page.Resources.map((r) => r.userName));
      cursor = page.nextCursor;
    }
    const firstNames = p1.Resources.map((r) => r.userName);
    expect(rest.filter((n) => firstNames.includes(n))).toEqual([]);
    expect(rest).not.toContain("user20");
    expect(rest).toContain("user99");
    expect(rest).toContain("user19");
    expect(new Set(rest).size).toBe(rest.length);
  });

  test.each([
    ["garbage", "not-a-cursor"],
    ["tampered", "eyJkaXIiOiJuZXh0In0.AAAA"],
  ])("a %s cursor → 400 invalidCursor", async (_n, cursor) => {
    const res = await get(`/Users?cursor=${cursor}&count=5`);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidCursor");
  });

  test("a cursor this server issued, with one byte changed → 400 invalidCursor", async () => {
    const cursor = (await get("/Users?cursor&count=5")).body.nextCursor!;
    const bytes = Buffer.from(cursor, "base64url");
    for (const at of [0, 20, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[at] ^= 1;
      const res = await get(`/Users?cursor=${changed.toString("base64url")}&count=5`);
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe("invalidCursor");
    }
  });

  test("a cursor used with another filter → 400 invalidCursor", async () => {
    const p1 = (await get("/Users?cursor&count=5")).body;
    const res = await get(`/Users?cursor=${encodeURIComponent(p1.nextCursor!)}&count=5&filter=userName pr`);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidCursor");
  });

  test("an expired cursor → 400 invalidCursor that says it expired", async () => {
    const p1 = (await get("/Users?cursor&count=5")).body;
    setSystemTime(new Date(Date.now() + 2 * 3600 * 1000));
    try {
      const res = await get(`/Users?cursor=${encodeURIComponent(p1.nextCursor!)}&count=5`);
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe("invalidCursor");
      expect(res.body.detail).toContain("expired");
    } finally {
      setSystemTime();
    }
  });
});

// Found by a review pass: a cursor carried the global users.pk in clear text (so a tenant could count the users
// every other tenant created), and a cursor minted at one tenant's URL was accepted at another's.
describe("cursors and tenants", () => {
  const pageOf = async (tenant: TestTenant, query: string) => {
    const res = await h.request("GET", `${tenant.url}/Users?${query}`, { token: tenant.token });
    return { status: res.status, body: (await res.json()) as Page & { scimType?: string; detail?: string } };
  };
  const addUser = async (tenant: TestTenant, userName: string) =>
    expect((await h.request("POST", `${tenant.url}/Users`, { token: tenant.token, body: { userName } })).status).toBe(201);
  const pkOf = (userName: string) =>
    (h.services.db.query("SELECT pk FROM users WHERE user_name = $u").get({ u: userName }) as { pk: number }).pk;

  test("a cursor minted at another tenant's URL, for the same query → 400 invalidCursor, and nothing read", async () => {
    const [a, b] = [await h.newTenant("A"), await h.newTenant("B")];
    for (const n of ["a1", "a2", "a3"]) await addUser(a, n);
    for (const n of ["b1", "b2", "b3"]) await addUser(b, n);
    const fromA = (await pageOf(a, "cursor=&count=1&sortBy=userName")).body.nextCursor!;
    const atB = await pageOf(b, `cursor=${encodeURIComponent(fromA)}&count=1&sortBy=userName`);
    expect(atB.status).toBe(400);
    expect(atB.body.scimType).toBe("invalidCursor");
    expect(atB.body.Resources).toBeUndefined();
    // ...while at A's own URL it still continues.
    const atA = await pageOf(a, `cursor=${encodeURIComponent(fromA)}&count=1&sortBy=userName`);
    expect(atA.body.Resources.map((r) => r.userName)).toEqual(["a2"]);
  });

  test("a cursor shows neither the global primary key nor, by its length, how large it is", async () => {
    const [other, b] = [await h.newTenant("Other"), await h.newTenant("B")];
    await addUser(b, "probe-1");
    await addUser(b, "filler-1");
    const newest = () => pageOf(b, "cursor=&count=1&sortOrder=descending");
    const before = (await newest()).body.nextCursor!;
    // Other tenants' activity moves the global sequence past a power of ten.
    const start = pkOf("filler-1");
    for (let i = 0; start + i < 10 ** String(start).length + 5; i++) await addUser(other, `o${i}`);
    await addUser(b, "probe-2");
    const after = (await newest()).body.nextCursor!;
    expect(String(pkOf("probe-2")).length).toBeGreaterThan(String(pkOf("filler-1")).length);
    expect(after.length).toBe(before.length);
    for (const cursor of [before, after]) {
      const text = Buffer.from(cursor, "base64url").toString("latin1");
      expect(text).not.toContain("pk");
      expect(text).not.toContain("probe");
      expect(text).not.toContain(String(pkOf("probe-2")));
    }
    // Opaque: the same page's cursor is different each time it is minted.
    expect((await newest()).body.nextCursor).not.toBe(after);
  });

  test("a cursor survives a restart: the next server on the same database continues the walk", async () => {
    const first = await createFileStack();
    const tenant = await first.newTenant();
    for (const userName of ["r1", "r2", "r3"]) {
      expect((await first.request("POST", `${tenant.url}/Users`, { token: tenant.token, body: { userName } })).status).toBe(201);
    }
    const page = (await (await first.request("GET", `${tenant.url}/Users?cursor=&count=2`, { token: tenant.token })).json()) as Page;
    // A new Services on the same file reads its key from the database, as a restarted server does.
    const restarted = await first.second();
    try {
      const res = await createApp(restarted).handle(
        new Request(`http://scimd.test${tenant.url}/Users?count=2&cursor=${encodeURIComponent(page.nextCursor!)}`, {
          headers: { authorization: `Bearer ${tenant.token}` },
        }),
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as Page).Resources.map((r) => r.userName)).toEqual(["r3"]);
    } finally {
      // As the server stops (src/server.ts): the log's entries are written before the database closes.
      await restarted.requestLog.close();
      restarted.db.close();
    }
  });
});

describe("RFC 9865 §4 ServiceProviderConfig", () => {
  test("advertises cursor and index paging with the limits that apply", async () => {
    const spc = (await (await h.request("GET", `${t.url}/ServiceProviderConfig`, { token: t.token })).json()) as Record<string, unknown>;
    expect(spc.pagination).toEqual({ cursor: true, index: true, defaultPaginationMethod: "index", defaultPageSize: 100, maxPageSize: 1000, cursorTimeout: 3600 });
    const capped = await get("/Users?cursor&count=5000");
    expect(capped.body.itemsPerPage).toBeLessThanOrEqual(1000);
  });
});
