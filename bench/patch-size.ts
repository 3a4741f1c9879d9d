// How the time of one PATCH grows with its size: the engine alone (applyPatch) for a few request shapes, then
// PATCHes over the real router. `bun bench/patch-size.ts [N]` (default 10000, the most operations a PATCH may hold).
// Prints figures; it is not a test.
import { applyPatch } from "../src/scim/patch";
import { createRegistry } from "../src/scim/schema/registry";
import { createHarness } from "../test/support/harness";

const N = Number(process.argv[2] ?? 10_000);
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const registry = createRegistry();
const emails = (n: number, primary = false) => Array.from({ length: n }, (_, i) => ({ value: `f${i}@x.com`, ...(primary ? { primary } : {}) }));
// The longest filter a path may hold (4096 characters): about 180 terms.
const longFilter = Array.from({ length: 180 }, (_, i) => `value eq "f${i}@x.com"`).join(" or ").slice(0, 4080).replace(/ or [^o]*$/, "");
const many = { schemas: [USER], id: "u1", userName: "bench@x.com", emails: emails(N) };

const shapes: [string, (n: number) => unknown[], Record<string, unknown>][] = [
  ["n ops adding one email each", (n) => emails(n).map((e) => ({ op: "add", path: "emails", value: [e] })), { ...many, emails: [] }],
  ["n ops adding a primary email each", (n) => emails(n, true).map((e) => ({ op: "add", path: "emails", value: [e] })), { ...many, emails: [] }],
  ["1 op adding n emails", (n) => [{ op: "add", path: "emails", value: emails(n) }], { ...many, emails: [] }],
  ["1 op removing n listed emails of n", (n) => [{ op: "remove", path: "emails", value: emails(n).reverse() }], many],
  ["n ops through a filter that creates", (n) => emails(n).map((e, i) => ({ op: "replace", path: `emails[type eq "t${i}"].value`, value: e.value })), { ...many, emails: [] }],
  ["n ops, a 4 KB filter each, on n emails", (n) => Array.from({ length: n }, () => ({ op: "replace", path: `emails[${longFilter}].display`, value: "x" })), many],
];

for (const [name, make, user] of shapes) {
  for (const n of [N / 10, N / 2, N]) {
    const body = { schemas: [PATCH_OP], Operations: make(n) };
    const start = performance.now();
    const r = applyPatch(registry, "User", user, body);
    const ms = performance.now() - start;
    const outcome = r.ok ? `ok, ${((r.value.resource.emails as unknown[]) ?? []).length} emails` : `${r.error.status} ${r.error.scimType}`;
    console.log(`engine  ${name.padEnd(36)} n=${String(n).padStart(6)}  ${ms.toFixed(0).padStart(6)} ms  (${outcome})`);
  }
}

const h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
const t = await h.newTenant();
for (const n of [N, 12_000]) {
  const created = await h.request("POST", `${t.url}/Users`, { token: t.token, body: { schemas: [USER], userName: `bench${n}@x.com` } });
  const { id } = (await created.json()) as { id: string };
  const body = { schemas: [PATCH_OP], Operations: emails(n).map((e) => ({ op: "add", path: "emails", value: [e] })) };
  const start = performance.now();
  const res = await h.request("PATCH", `${t.url}/Users/${id}`, { token: t.token, body });
  const ms = performance.now() - start;
  const answer = (await res.json()) as { emails?: unknown[]; scimType?: string };
  const size = JSON.stringify(body).length;
  console.log(`http    PATCH of ${n} email adds (${size} bytes): ${res.status} ${answer.scimType ?? `${answer.emails?.length} emails`} in ${ms.toFixed(0)} ms`);
}
process.exit(0);
