// Cost of rebuilding request_log (migration 8) and of writing to the rebuilt table.
//   bun test/log/bench/rebuild.ts [ROWS] [BEFORE]
// 1. How long the migration takes on ROWS synthetic entries (default 1,000,000) in a database file.
// 2. µs per row through LogStore.insertRows, batches of 500: the store and schema as of git commit BEFORE
//    (default: the commit before migration 8) against this checkout's, in alternating rounds, each side on a
//    database file of its own. Not a test; prints figures.
import type { Database } from "bun:sqlite";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { migrate } from "../../../src/db/migrate";
import { migrations } from "../../../src/db/migrations";
import { openDatabase } from "../../../src/db/open";
import * as current from "../../../src/modules/log/store";
import { syntheticEntry } from "../support";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const REBUILD = 8;
const SRC = resolve(import.meta.dir, "../../../src");
const added = (await Bun.$`git log --diff-filter=A --format=%H -- db/sql/008_request_log_ids.sql`.cwd(SRC).text()).trim();
const BEFORE = process.argv[3] ?? `${added.split("\n").at(-1)}^`;
const TENANTS = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);

const atVersion = (version: number) => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), "scimd-rebuild-")));
  migrate(db, migrations.filter((m) => m.version <= version));
  const tenant = db.query("INSERT INTO tenants (id, name, created) VALUES (?1, 'T', 'x')");
  for (const id of TENANTS) tenant.run(id);
  return db;
};

// Entries as Entra's traffic leaves them: a PATCH or lookup of one user, one in twenty with a non-ASCII name.
function fill(db: Database, rows: number) {
  db.query(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO request_log (tenant_id, time, request_id, method, path, operation, resource_type, resource_id,
       resource_name, status, duration_ms, client_ip, user_agent)
     SELECT '00000000-0000-4000-8000-00000000000' || (i % 10), ?2 + i * 2, lower(hex(randomblob(16))), 'PATCH',
       '/scim/v2/00000000-0000-4000-8000-000000000000/Users/' || lower(hex(randomblob(16))), 'update', 'User',
       lower(hex(randomblob(16))), CASE WHEN i % 20 = 0 THEN 'Émile.Zola' || i || '@example.fr' ELSE 'User' || i || '@Contoso.com' END,
       200, 3.5, '10.0.0.' || (i % 250), 'Azure AD SCIM Client' FROM n`,
  ).run(rows, Date.now() - rows * 2);
}

function measureMigration() {
  const db = atVersion(REBUILD - 1);
  let t = performance.now();
  fill(db, ROWS);
  console.log(`filled ${ROWS.toLocaleString("en")} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  migrate(db);
  console.log(`migration ${REBUILD}+ on ${ROWS.toLocaleString("en")} rows: ${((performance.now() - t) / 1000).toFixed(2)} s`);
  db.close();
}

type Store = { insertRows(batch: unknown[][]): unknown[] };
type StoreModule = { LogStore: new (db: Database) => Store; rowOf: (e: ReturnType<typeof syntheticEntry>) => unknown[] };

// The store as it was: its file from git, with its imports pointed at this checkout (only the transaction helper
// runs; the rest are types).
async function storeBefore(): Promise<StoreModule> {
  const text = await Bun.$`git show ${BEFORE}:src/modules/log/store.ts`.cwd(SRC).text();
  const file = join(mkdtempSync(join(tmpdir(), "scimd-store-")), "store-before.ts");
  writeFileSync(file, text.replace('"../../db/transactions"', JSON.stringify(`${SRC}/db/transactions.ts`)).replaceAll(/from "\.\/(\w+)"/g, `from "${SRC}/modules/log/$1.ts"`));
  return (await import(file)) as StoreModule;
}

async function measureInserts() {
  const listed = await Bun.$`git show ${BEFORE}:src/db/migrations.ts`.cwd(SRC).text();
  const versionBefore = Math.max(...[...listed.matchAll(/version: (\d+)/g)].map((m) => Number(m[1])));
  const sides = [
    { name: "before", module: await storeBefore(), db: atVersion(versionBefore), micros: [] as number[] },
    { name: "after", module: current as unknown as StoreModule, db: atVersion(Number.MAX_SAFE_INTEGER), micros: [] as number[] },
  ];
  let clock = Date.now();
  const batch = (m: StoreModule) =>
    Array.from({ length: 500 }, (_, i) =>
      m.rowOf(
        syntheticEntry(TENANTS[i % 10]!, {
          path: `/scim/v2/${TENANTS[0]}/Users/${crypto.randomUUID()}`,
          resourceId: crypto.randomUUID(),
          resourceName: i % 20 === 0 ? `Émile.Zola${Math.random()}@example.fr` : `user${Math.random()}@contoso.com`,
          userAgent: "Azure AD SCIM Client",
          time: (clock += 1),
        }),
      ),
    );
  for (const side of sides) {
    const store = new side.module.LogStore(side.db);
    for (let i = 0; i < 40; i++) store.insertRows(batch(side.module));
    Object.assign(side, { store });
  }
  const ROUNDS = 20;
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      const store = (side as unknown as { store: Store }).store;
      const batches = Array.from({ length: 40 }, () => batch(side.module));
      const t = performance.now();
      for (const b of batches) store.insertRows(b);
      side.micros.push(((performance.now() - t) * 1000) / (40 * 500));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const side of sides) {
    const mean = side.micros.reduce((a, b) => a + b, 0) / side.micros.length;
    console.log(`${side.name}: ${mean.toFixed(2)} µs/row mean, ${median(side.micros).toFixed(2)} median of ${ROUNDS} rounds`);
  }
  const [before, after] = sides as [(typeof sides)[0], (typeof sides)[0]];
  console.log(`after / before, median of the per-round ratios: ${median(after.micros.map((m, i) => m / before.micros[i]!)).toFixed(3)}`);
}

measureMigration();
await measureInserts();
