// Issue 4 §3: the cost of a cursor page must not grow with its depth. Builds a tenant of 600,000 users
// straight into a real database file (through the same store the server uses), then times page 1 and a page
// past row 500,000 — by cursor (keyset) and, for contrast, by startIndex (OFFSET) — through the real services.
// Run: node_modules/.bin/bun bench/cursor-depth.ts [--users N]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config";
import { CursorCodec } from "../src/modules/resources/cursor";
import { parseListParams } from "../src/scim/list-params";
import { createServices } from "../src/services";
import { userColumns } from "../src/store/users";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const USERS = arg("--users", 600_000);
const DEEP = Math.min(500_000, USERS - 200);
const ROUNDS = 30;

const dir = mkdtempSync(join(tmpdir(), "bench-cursor-"));
const services = await createServices(loadConfig({ SCIMD_DATA_DIR: dir, SCIMD_ADMIN_TOKEN: "bench-admin-token-0123456789" }), "bench");
const { tenant } = await services.tenants.create("cursor-depth");
const now = new Date().toISOString();
const t0 = performance.now();
services.db.transaction(() => {
  for (let i = 0; i < USERS; i++) {
    const name = `user${String(i).padStart(7, "0")}@example.com`;
    const cols = userColumns({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: name, active: true, name: { givenName: "G", familyName: `F${i}` } });
    services.users.store.insert(tenant.id, Bun.randomUUIDv7(), cols, null, now);
  }
})();
console.log(`${USERS.toLocaleString()} users written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const list = (query: Record<string, string>) => {
  const params = parseListParams(query);
  if (!params.ok) throw params.error;
  return services.users.list(tenant.id, params.value);
};
function median(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

// A cursor that continues after row DEEP, made the way the server makes one.
const codec = new CursorCodec(services.db);
const edge = services.db.query("SELECT pk FROM users WHERE tenant_id = $t ORDER BY pk LIMIT 1 OFFSET $o").get({ t: tenant.id, o: DEEP - 1 }) as { pk: number };
const deepCursor = codec.encode(tenant.id, { dir: "next", value: null, pk: edge.pk, query: CursorCodec.queryHash(["User", undefined, undefined, "ascending"]) });
const first = list({ cursor: "", count: "100" }) as unknown as { Resources: { userName: string }[] };
const deep = list({ cursor: deepCursor, count: "100" }) as unknown as { Resources: { userName: string }[] };
console.log(`check: cursor page 1 starts at ${first.Resources[0].userName}, the deep page at ${deep.Resources[0].userName}`);

const rows = [
  ["cursor, page 1", median(() => list({ cursor: "", count: "100" }))],
  [`cursor, after row ${DEEP.toLocaleString()}`, median(() => list({ cursor: deepCursor, count: "100" }))],
  ["startIndex, page 1", median(() => list({ startIndex: "1", count: "100" }))],
  [`startIndex=${(DEEP + 1).toLocaleString()}`, median(() => list({ startIndex: String(DEEP + 1), count: "100" }))],
] as const;
console.log("\n| page of 100 users | median ms | vs page 1 of the same method |\n| --- | --- | --- |");
rows.forEach(([label, ms], i) => {
  const base = rows[i - (i % 2)][1];
  console.log(`| ${label} | ${ms.toFixed(2)} | ×${(ms / base).toFixed(2)} |`);
});
console.log("\nBoth include the exact totalResults (a COUNT over the tenant), a constant cost whatever the depth.");
services.db.close();
rmSync(dir, { recursive: true, force: true });
