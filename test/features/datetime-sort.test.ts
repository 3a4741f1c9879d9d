// RFC 7644 §3.4.2.3 sortBy on a tenant extension's dateTime (RFC 7643 §2.3.5: an instant, kept as the client wrote
// it). Filters compare such values to any fraction (instantKey, datetime.ts); sorting read them to the millisecond,
// so .NET's seven-digit fractions (.1234567Z, .1234568Z) tied and came out in creation order. Ties stay in the
// list's own stable order (creation order ascending, its reverse descending), on index and cursor pages alike.
import { beforeAll, describe, expect, test } from "bun:test";
import { CursorCodec } from "../../src/modules/resources/cursor";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { ACME_USER_URN as URN, acmeUserSchema } from "../support/acme-schema";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const schema = acmeUserSchema([
  { name: "hireDate", type: "dateTime" },
  { name: "contract", type: "complex", subAttributes: [{ name: "start", type: "dateTime" }] },
  { name: "milestones", type: "dateTime", multiValued: true },
], "dateTime attributes of three shapes");

// [userName, instant], in creation order. Sorted ascending: early, x, y (x's tie, created after it), offset, late, none.
const users: [string, string | undefined][] = [
  ["late", "2024-01-01T00:00:00.1234568Z"],
  ["x", "2024-01-01T00:00:00.1234567Z"],
  ["offset", "2024-01-01T02:00:00.12345675+02:00"],
  ["y", "2024-01-01T00:00:00.1234567Z"],
  ["early", "2024-01-01T00:00:00.123Z"],
  ["none", undefined],
];
const ascending = ["early", "x", "y", "offset", "late", "none"];
const descending = ["none", "late", "offset", "y", "x", "early"];

let h: Harness;
let t: TestTenant;
const get = (path: string) => h.request("GET", `${t.url}${path}`, { token: t.token });

type Page = { Resources: { userName: string }[]; nextCursor?: string; previousCursor?: string };
async function page(query: string): Promise<Page> {
  const res = await get(`/Users?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}
const names = async (query: string) => (await page(query)).Resources.map((u) => u.userName);

beforeAll(async () => {
  h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
  t = await h.newTenant("dates");
  expect((await h.admin("PUT", `/tenants/${t.id}/schemas`, schema)).status).toBe(200);
  for (const [userName, at] of users) {
    const ext = at ? { hireDate: at, contract: { start: at }, milestones: [at, "1999-01-01T00:00:00Z"] } : { contract: {} };
    const res = await h.request("POST", `${t.url}/Users`, { token: t.token, body: { schemas: [CORE, URN], userName, [URN]: ext } });
    expect(res.status).toBe(201);
  }
});

describe("sortBy on an extension dateTime orders past the millisecond", () => {
  const paths = [`${URN}:hireDate`, `${URN}:contract.start`, `${URN}:milestones`];

  test.each(paths)("%s, both ways", async (path) => {
    expect(await names(`sortBy=${encodeURIComponent(path)}`)).toEqual(ascending);
    expect(await names(`sortBy=${encodeURIComponent(path)}&sortOrder=descending`)).toEqual(descending);
  });

  test.each(paths)("%s: index pages and cursor pages, forward and back, give the same order", async (path) => {
    const sort = `sortBy=${encodeURIComponent(path)}`;
    const indexed: string[] = [];
    for (let start = 1; start <= 6; start += 2) indexed.push(...(await names(`${sort}&startIndex=${start}&count=2`)));
    expect(indexed).toEqual(ascending);
    const forward: Page[] = [await page(`${sort}&count=2&cursor=`)];
    while (forward.at(-1)?.nextCursor) forward.push(await page(`${sort}&count=2&cursor=${encodeURIComponent(String(forward.at(-1)?.nextCursor))}`));
    expect(forward.flatMap((p) => p.Resources.map((u) => u.userName))).toEqual(ascending);
    const back = await page(`${sort}&count=2&cursor=${encodeURIComponent(String(forward.at(-1)?.previousCursor))}`);
    expect(back.Resources.map((u) => u.userName)).toEqual(ascending.slice(2, 4));
  });

  test("the sort agrees with the filter's comparison of the same values", async () => {
    const after = await names(`filter=${encodeURIComponent(`${URN}:hireDate gt "2024-01-01T00:00:00.1234567Z"`)}&sortBy=${encodeURIComponent(`${URN}:hireDate`)}`);
    expect(after).toEqual(["offset", "late"]);
  });

  test("meta.created and meta.lastModified still sort by their instants (columns), ties by creation order", async () => {
    expect(await names("sortBy=meta.created")).toEqual(users.map(([n]) => n));
    const late = (await page('filter=userName eq "late"')) as unknown as { Resources: { id: string }[] };
    const patched = await h.request("PATCH", `${t.url}/Users/${late.Resources[0]?.id}`, {
      token: t.token,
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "moved" }] },
    });
    expect(patched.status).toBe(200);
    expect(await names("sortBy=meta.lastModified")).toEqual(["x", "offset", "y", "early", "none", "late"]);
    expect(await names("sortBy=meta.lastModified&sortOrder=descending")).toEqual(["late", "none", "early", "y", "offset", "x"]);
  });
});

// A cursor the code before this sort's change issued holds the edge row's value as unixepoch(…, 'subsec'), a number.
// Given now, every text key follows it in SQLite's order, so the walk started over: the client saw every row again.
// Values within one millisecond changed order (x, y, offset, late), so no key continues such a walk exactly: refused.
describe("a cursor issued when this sort ordered by seconds since the epoch", () => {
  const sortBy = `${URN}:hireDate`;
  const cursorFor = (value: string | number) => {
    const pk = (h.services.db.query("SELECT pk FROM users WHERE user_name = 'early'").get() as { pk: number }).pk;
    const query = CursorCodec.queryHash(["User", undefined, sortBy, "ascending"]);
    return new CursorCodec(h.services.db).encode(t.id, { dir: "next", value, pk, query });
  };
  const after = (cursor: string) => get(`/Users?sortBy=${encodeURIComponent(sortBy)}&count=10&cursor=${encodeURIComponent(cursor)}`);

  test("is refused: 400 invalidCursor (RFC 9865), not a walk started over", async () => {
    const res = await after(cursorFor(1704067200.123));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { scimType: string; detail: string };
    expect(body.scimType).toBe("invalidCursor");
    expect(body.detail).toContain("start again without one");
  });

  test("while the same edge as an instantKey continues after it", async () => {
    const res = await after(cursorFor("101704067200.123"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as Page).Resources.map((u) => u.userName)).toEqual(ascending.slice(1));
  });
});
