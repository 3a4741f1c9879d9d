// Cost of writing log entries to a database file: µs per row through LogStore.insertRows (batches of 500).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { migrate } from "../../../src/db/migrate";
import { openDatabase } from "../../../src/db/open";
import { LogStore, rowOf } from "../../../src/modules/log/store";
import { syntheticEntry } from "../support";

const db = openDatabase(mkdtempSync(`${tmpdir()}/scimd-insert-`));
migrate(db);
const tenant = crypto.randomUUID();
db.query("INSERT INTO tenants (id, name, created) VALUES ($id, 'T', 'x')").run({ id: tenant });
const store = new LogStore(db);
let clock = Date.now();
const batch = () =>
  Array.from({ length: 500 }, (_, i) =>
    syntheticEntry(tenant, {
      path: `/scim/v2/${tenant}/Users/${crypto.randomUUID()}`,
      resourceId: crypto.randomUUID(),
      resourceName: `user${Math.random()}@contoso.com`,
      userAgent: "Azure AD SCIM Client",
      time: (clock += 1),
    }),
  ).map(rowOf);
for (let i = 0; i < 20; i++) store.insertRows(batch());
const batches = Array.from({ length: 200 }, batch);
const t0 = performance.now();
for (const b of batches) store.insertRows(b);
console.log(`${((performance.now() - t0) * 1000 / (200 * 500)).toFixed(2)} µs/row (file database, WAL, batches of 500)`);
if (process.env.VARIANTS) {
  for (const drop of [["request_log_time"], ["request_log_time", "request_log_tenant_time"], ["request_log_time", "request_log_tenant_time", "request_log_tenant_probe"]]) {
    for (const d of drop) db.exec(`DROP INDEX IF EXISTS ${d}`);
    const bs = Array.from({ length: 100 }, batch);
    const t1 = performance.now();
    for (const b of bs) store.insertRows(b);
    console.log(`without ${drop.join(",")}: ${((performance.now() - t1) * 1000 / (100 * 500)).toFixed(2)} µs/row`);
  }
  db.exec("PRAGMA foreign_keys = OFF");
  const bs = Array.from({ length: 100 }, batch);
  const t1 = performance.now();
  for (const b of bs) store.insertRows(b);
  console.log(`no indexes, no FK: ${((performance.now() - t1) * 1000 / (100 * 500)).toFixed(2)} µs/row`);
}
