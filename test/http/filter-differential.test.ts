// Differential test of GET /Users?filter and POST /Users/.search (RFC 7644 §3.4.2.2, §3.4.3): random filters
// over adversarial users, each answered by the real router and by a small reference evaluator
// (test/support/filter-reference.ts) over the same users as GET returns them; the id sets must agree, and a
// filter the reference refuses must be a 400 invalidFilter. FUZZ_SEED=n picks the seed (data and filters),
// FUZZ_FILTERS=n how many filters; the defaults keep CI deterministic and within a few seconds.
import { beforeAll, expect, test } from "bun:test";
import { type Client, type Doc, rng, setUp } from "./client";
import { ACME, ACME_SCHEMA, ENTERPRISE, groupBodies, userBody } from "../support/filter-fixtures";
import { advertisedSchemas, differential } from "../support/filter-differential";
import type { RefSchemas } from "../support/filter-reference";

const SEED = Number(process.env.FUZZ_SEED ?? 0x7e57);
const FILTERS = Number(process.env.FUZZ_FILTERS ?? 250);
const USERS = 36;

let c: Client;
let schemas: RefSchemas;
let users: Doc[];

beforeAll(async () => {
  c = await setUp("filter-differential");
  const declared = await c.h.admin("PUT", `/tenants/${c.tenant.id}/schemas`, ACME_SCHEMA);
  if (declared.status !== 200) throw new Error(`schema: ${declared.status} ${await declared.text()}`);
  const r = rng(SEED);
  const ids: string[] = [];
  for (let i = 0; i < USERS; i++) ids.push(String((await c.user(userBody(r, i, ids))).id));
  // Later changes move lastModified away from created, and PATCH stores what POST would not have written.
  for (const id of ids.filter(() => r.next() < 0.2)) {
    const patched = await c.patch(`/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: { active: "False", title: "Straße" } }, { op: "remove", path: "nickName" }],
    });
    if (patched.status !== 200) throw new Error(`patch: ${patched.status} ${patched.text}`);
  }
  const groupIds: string[] = [];
  for (const g of groupBodies(r, ids)) {
    const members = g.users.map((value) => ({ value }));
    const created = await c.group({ displayName: g.displayName, members });
    groupIds.push(String(created.id));
    if (g.inGroup !== undefined) {
      const added = await c.patch(`/Groups/${groupIds[g.inGroup]}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "add", path: "members", value: [{ value: created.id }] }],
      });
      if (added.status !== 200 && added.status !== 204) throw new Error(`nest: ${added.status} ${added.text}`);
    }
  }
  const all = await c.get("/Users?count=1000");
  users = all.body.Resources as Doc[];
  if (users.length !== USERS) throw new Error(`expected ${USERS} users, GET listed ${users.length}`);
  schemas = await advertisedSchemas(c, "urn:ietf:params:scim:schemas:core:2.0:User", [ACME, ENTERPRISE]);
});

test(`GET /Users?filter and POST /Users/.search agree with the reference evaluator (seed ${SEED}, ${FILTERS} filters)`, async () => {
  const mismatches = await differential(c, "/Users", schemas, users, SEED, FILTERS);
  for (const m of mismatches.slice(0, 20)) console.log(JSON.stringify(m));
  expect(mismatches.map((m) => m.filter)).toEqual([]);
}, 60_000);
