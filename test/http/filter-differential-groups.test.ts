// Differential test of GET /Groups?filter and POST /Groups/.search (RFC 7644 §3.4.2.2, §3.4.3), as
// filter-differential.test.ts does it for Users: adversarial groups (names with non-ASCII case forms, quotes and
// backslashes, blank ones; externalId or none; members that are users and groups, labelled or not; renamed
// later, so lastModified and version move), random filters, the real router against the reference evaluator.
// FUZZ_SEED=n picks the seed, FUZZ_FILTERS=n how many filters.
import { beforeAll, expect, test } from "bun:test";
import { type Client, type Doc, rng, setUp } from "./client";
import { ACME_GROUP, ACME_GROUP_SCHEMA, CORE_GROUP, groupBody, userBody } from "../support/filter-fixtures";
import { advertisedSchemas, differential } from "../support/filter-differential";
import type { RefSchemas } from "../support/filter-reference";

const SEED = Number(process.env.FUZZ_SEED ?? 0x6e0b);
const FILTERS = Number(process.env.FUZZ_FILTERS ?? 250);
const USERS = 12;
const GROUPS = 24;

let c: Client;
let schemas: RefSchemas;
let groups: Doc[];

beforeAll(async () => {
  c = await setUp("filter-differential-groups");
  const declared = await c.h.admin("PUT", `/tenants/${c.tenant.id}/schemas`, ACME_GROUP_SCHEMA);
  if (declared.status !== 200) throw new Error(`schema: ${declared.status} ${await declared.text()}`);
  const r = rng(SEED);
  const userIds: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const body = userBody(r, i, userIds);
    userIds.push(String((await c.user({ userName: body.userName, displayName: body.displayName })).id));
  }
  const groupIds: string[] = [];
  for (let i = 0; i < GROUPS; i++) {
    const created = await c.post("/Groups", groupBody(r, i, userIds, groupIds));
    if (created.status !== 201) throw new Error(`group ${i}: ${created.status} ${created.text}`);
    groupIds.push(String(created.body.id));
  }
  // A rename moves lastModified and version; a renamed member user changes the display its groups show.
  for (const id of groupIds.filter(() => r.next() < 0.25)) {
    const patched = await c.patch(`/Groups/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: `ſtraße ${id.slice(-6)}` }],
    });
    if (patched.status !== 200 && patched.status !== 204) throw new Error(`patch: ${patched.status} ${patched.text}`);
  }
  for (const id of userIds.filter(() => r.next() < 0.2)) {
    const renamed = await c.patch(`/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: `Renamed \u212A ${id.slice(-4)}` }],
    });
    if (renamed.status !== 200) throw new Error(`rename: ${renamed.status} ${renamed.text}`);
  }
  groups = (await c.get("/Groups?count=1000")).body.Resources as Doc[];
  if (groups.length !== GROUPS) throw new Error(`expected ${GROUPS} groups, GET listed ${groups.length}`);
  schemas = await advertisedSchemas(c, CORE_GROUP, [ACME_GROUP]);
});

test(`GET /Groups?filter and POST /Groups/.search agree with the reference evaluator (seed ${SEED}, ${FILTERS} filters)`, async () => {
  const mismatches = await differential(c, "/Groups", schemas, groups, SEED, FILTERS);
  for (const m of mismatches.slice(0, 30)) console.log(JSON.stringify(m));
  expect(mismatches.map((m) => m.filter)).toEqual([]);
}, 120_000);
