// In-process cost breakdown (CPU time per request through app.handle): `bun inproc.ts N get|patch|spc`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHarness } from "../../support/harness";

const N = Number(process.argv[2] ?? 10000);
const mode = process.argv[3] ?? "get";
const source = readFileSync(join(import.meta.dir, "../../../src/app.ts"), "utf8")
  .replace(/^\s*\.use\(requestRecorder\([^)]*\)\)\s*$/m, "")
  .replace(/from "\.\//g, 'from "../../../src/');
const file = join(import.meta.dir, "app-without-recorder.gen.ts");
writeFileSync(file, source);
const { createApp: bare } = (await import(file)) as typeof import("../../../src/app");

const h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
const a = await h.newTenant("A");
const u = (await (await h.request("POST", `${a.url}/Users`, { token: a.token, body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "u@x" } })).json()) as { id: string };
const apps = { with: h.app, without: bare(h.services) };
const headers = { authorization: `Bearer ${a.token}`, "content-type": "application/scim+json" };
const make = (i: number) =>
  mode === "get"
    ? new Request(`http://scimd.test${a.url}/Users?filter=${encodeURIComponent('userName eq "u@x"')}`, { headers })
    : mode === "spc"
      ? new Request(`http://scimd.test${a.url}/ServiceProviderConfig`, { headers })
      : new Request(`http://scimd.test${a.url}/Users/${u.id}`, { method: "PATCH", headers, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: i % 2 ? "False" : "True" }] }) });

async function run(app: { handle(r: Request): Promise<Response> }) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await (await app.handle(make(i))).arrayBuffer();
  await new Promise((r) => setImmediate(r));
  await h.services.requestLog.writer.settle();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}
if (process.env.NOPUSH) h.services.requestLog.writer.push = () => {};
const results: Record<string, number[]> = { with: [], without: [] };
for (let round = 0; round < 5; round++) {
  for (const name of ["without", "with"] as const) results[name].push(await run(apps[name]));
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const w = median(results.with.slice(1));
const wo = median(results.without.slice(1));
console.log(`${mode}: without ${wo.toFixed(1)} µs CPU/request, with ${w.toFixed(1)} µs (+${(w - wo).toFixed(1)} µs, ×${(w / wo).toFixed(2)})`);
