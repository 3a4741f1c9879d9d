// Issue 4 §3: RFC 9865 cursor paging — nextCursor/previousCursor, invalid and expired cursors, and
// pages that neither skip nor repeat rows while other clients insert and delete.
import { beforeAll, describe, expect, setSystemTime, test } from "bun:test";
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

describe("RFC 9865 §4 ServiceProviderConfig", () => {
  test("advertises cursor and index paging with the limits that apply", async () => {
    const spc = (await (await h.request("GET", `${t.url}/ServiceProviderConfig`, { token: t.token })).json()) as Record<string, unknown>;
    expect(spc.pagination).toEqual({ cursor: true, index: true, defaultPaginationMethod: "index", defaultPageSize: 100, maxPageSize: 1000, cursorTimeout: 3600 });
    const capped = await get("/Users?cursor&count=5000");
    expect(capped.body.itemsPerPage).toBeLessThanOrEqual(1000);
  });
});
