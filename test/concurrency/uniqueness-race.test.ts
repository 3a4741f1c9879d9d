// Creates racing for one name over a real listening server, all in flight at once. entra.md: a duplicate userName
// (any case) is 409 uniqueness, and so is a group's displayName; under concurrency that must still be exactly one
// 201 and a 409 uniqueness for each of the others, whatever path each took (a password to hash, /Bulk), and the
// one stored is the one the 201 answered.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Doc, GROUP, type LiveClient, liveClient, patchOp, type Reply, USER } from "./live-client";

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

let c: LiveClient;
beforeAll(async () => {
  c = await liveClient();
});
afterAll(() => c.server.stop());

const caseVariants = (name: string) => [name, name.toLowerCase(), name.toUpperCase(), name, name.toLowerCase(), name.toUpperCase(), name, name.toLowerCase()];

function expectOneCreated(outcomes: { status: number; scimType?: unknown }[]): number {
  expect(outcomes.map((o) => `${o.status} ${o.scimType ?? ""}`.trim()).sort()).toEqual([
    "201",
    ...Array<string>(outcomes.length - 1).fill("409 uniqueness"),
  ]);
  return outcomes.findIndex((o) => o.status === 201);
}

const rowsNamed = (table: "users" | "groups", column: "user_name_key" | "display_name_key", key: string) =>
  c.server.services.db.query(`SELECT id FROM ${table} WHERE tenant_id = $tenant AND ${column} = $key`).all({ tenant: c.tenant.id, key }) as {
    id: string;
  }[];

async function listed(filter: string): Promise<Doc[]> {
  const r = await c.send("GET", `/${filter}`);
  return (r.body.Resources ?? []) as Doc[];
}

describe("POST at once with one name in several letter cases: one 201, the rest 409 uniqueness, one stored", () => {
  test("Users, half of them with a password (hashed before the insert)", async () => {
    const names = caseVariants("Ada.Race@Example.com");
    const replies = await Promise.all(
      names.map((userName, i) => c.send("POST", "/Users", { schemas: [USER], userName, ...(i % 2 ? { password: `Race-${i}-password` } : {}) })),
    );
    const won = expectOneCreated(replies.map((r) => ({ status: r.status, scimType: r.body.scimType })));
    expect(rowsNamed("users", "user_name_key", "ada.race@example.com")).toEqual([{ id: String(replies[won]!.body.id) }]);
    const found = await listed(`Users?filter=${encodeURIComponent('userName eq "ADA.RACE@example.com"')}`);
    expect(found.map((u) => [u.id, u.userName])).toEqual([[replies[won]!.body.id, names[won]]]);
  });

  test("Groups", async () => {
    const names = caseVariants("Race Engineers");
    const replies = await Promise.all(names.map((displayName) => c.send("POST", "/Groups", { schemas: [GROUP], displayName })));
    const won = expectOneCreated(replies.map((r) => ({ status: r.status, scimType: r.body.scimType })));
    expect(rowsNamed("groups", "display_name_key", "race engineers")).toEqual([{ id: String(replies[won]!.body.id) }]);
  });

  test("through /Bulk, each request one POST (some with a password), and one request naming the user twice", async () => {
    const names = caseVariants("Bulk.Race@Example.com");
    const bulk = (ops: Doc[]) => c.send("POST", "/Bulk", { schemas: [BULK], Operations: ops });
    const post = (userName: string, i: number): Doc => ({
      method: "POST",
      path: "/Users",
      bulkId: `u${i}`,
      data: { schemas: [USER], userName, ...(i % 2 ? { password: `Bulk-${i}-password` } : {}) },
    });
    const replies = await Promise.all([
      ...names.map((n, i) => bulk([post(n, i)])),
      bulk([post("BULK.race@example.com", 100), post("bulk.RACE@example.com", 101)]),
    ]);
    expect(replies.map((r) => r.status)).toEqual(Array<number>(replies.length).fill(200));
    const outcomes = replies.flatMap((r) => (r.body.Operations as Doc[]).map((o) => ({ status: Number(o.status), scimType: (o.response as Doc | undefined)?.scimType })));
    expectOneCreated(outcomes);
    const created = replies.flatMap((r) => (r.body.Operations as Doc[]).filter((o) => o.status === "201"));
    expect(rowsNamed("users", "user_name_key", "bulk.race@example.com").map((r) => `${c.server.url}/scim/v2/${c.tenant.id}/Users/${r.id}`)).toEqual(
      created.map((o) => String(o.location)),
    );
  });
});

describe("renames at once onto one free name: one succeeds, the rest 409 uniqueness, nothing else changes", () => {
  test("PATCH userName of several users, and PUT of others, to one name in several cases", async () => {
    const users = await Promise.all(Array.from({ length: 8 }, (_, i) => c.created("/Users", { userName: `rename-${i}@example.com` })));
    const names = caseVariants("Renamed.Race@Example.com");
    const replies: Reply[] = await Promise.all(
      users.map((u, i) =>
        i % 2
          ? c.send("PUT", `/Users/${u.id}`, { schemas: [USER], userName: names[i] })
          : c.send("PATCH", `/Users/${u.id}`, patchOp({ op: "replace", path: "userName", value: names[i] })),
      ),
    );
    const outcomes = replies.map((r) => ({ status: r.status === 200 ? 201 : r.status, scimType: r.body.scimType }));
    const won = expectOneCreated(outcomes);
    expect(rowsNamed("users", "user_name_key", "renamed.race@example.com")).toEqual([{ id: String(users[won]!.id) }]);
    for (const [i, u] of users.entries()) {
      if (i === won) continue;
      const after = await c.send("GET", `/Users/${u.id}`);
      expect({ userName: after.body.userName, version: (after.body.meta as Doc).version }).toEqual({ userName: `rename-${i}@example.com`, version: 'W/"1"' });
    }
  });
});
