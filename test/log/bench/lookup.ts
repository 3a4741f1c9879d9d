// Cost of a userName lookup through app.handle (in process, in-memory database, recorder on), for one or more
// source trees side by side: `bun test/log/bench/lookup.ts [SRC_DIR ...] [-n N]`. N lookups each (default
// 50,000), in rounds that alternate between the trees, so drift (the log growing, a busy machine) hits all
// alike. With no SRC_DIR it measures this tree's src/.
import { join } from "node:path";

const args = process.argv.slice(2);
const nAt = args.indexOf("-n");
const N = nAt >= 0 ? Number(args.splice(nAt, 2)[1]) : 50_000;
const ROUNDS = 10;
const WARM_UP = 2_000;
const dirs = args.length > 0 ? args : [join(import.meta.dir, "../../../src")];
const ADMIN_TOKEN = "bench-admin-token-0123456789";

async function lookupOf(src: string) {
  const { createApp } = await import(join(src, "app.ts"));
  const { loadConfig } = await import(join(src, "config.ts"));
  const { openDatabase } = await import(join(src, "db/open.ts"));
  const { createServices } = await import(join(src, "services.ts"));
  const config = loadConfig({ SCIMD_ADMIN_TOKEN: ADMIN_TOKEN, SCIMD_DATA_DIR: "/nonexistent", SCIMD_RATE_LIMIT: "0" });
  const services = await createServices(config, "bench", { db: openDatabase(":memory:"), serving: true });
  const app = createApp(services);
  const call = (path: string, init: RequestInit) => app.handle(new Request(`http://scimd.test${path}`, init));
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
  const t = await (await call("/admin/v1/tenants", { method: "POST", headers: admin, body: JSON.stringify({ name: "b" }) })).json();
  const scim = { authorization: `Bearer ${t.token}`, "content-type": "application/scim+json" };
  const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "u@x" });
  await call(`/scim/v2/${t.id}/Users`, { method: "POST", headers: scim, body });
  const path = `/scim/v2/${t.id}/Users?filter=${encodeURIComponent('userName eq "u@x"')}`;
  return async () => {
    const res = await call(path, { headers: scim });
    if (res.status !== 200) throw new Error(`lookup: ${res.status}`);
    await res.arrayBuffer();
  };
}

const lookups = await Promise.all(dirs.map(lookupOf));
for (const lookup of lookups) for (let k = 0; k < WARM_UP; k++) await lookup();
const perRound = Math.ceil(N / ROUNDS);
const times: number[][] = dirs.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  // Each round starts with a different tree.
  for (let j = 0; j < lookups.length; j++) {
    const i = (round + j) % lookups.length;
    Bun.gc(true);
    const start = performance.now();
    for (let k = 0; k < perRound; k++) await lookups[i]!();
    times[i]!.push(((performance.now() - start) * 1000) / perRound);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
for (const [i, dir] of dirs.entries()) {
  const t = times[i]!;
  console.log(`${dir}: ${perRound * ROUNDS} lookups, mean ${mean(t).toFixed(2)} µs, median round ${median(t).toFixed(2)} µs`);
}
