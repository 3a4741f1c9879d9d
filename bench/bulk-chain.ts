// What a /Bulk request of N operations costs when each needs the bulkId of the next (the worst order to
// resolve), of the previous, or of none, through the real router. The gap between "next" and "none" is the
// cost of ordering. Run: node_modules/.bin/bun bench/bulk-chain.ts [N] (default 1000, the most a request may hold).
// Prints figures; it is not a test.
import { createHarness } from "../test/support/harness";

const N = Number(process.argv[2] ?? 1000);
const ROUNDS = 5;
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
// About 1 KB per operation, as a real user with a few attributes: every byte is scanned for references.
const emails = Array.from({ length: 20 }, (_, i) => ({ value: `mail${i}@example.com`, type: "work" }));

const shapes: [string, (i: number, round: number) => string | undefined][] = [
  ["each needs the next", (i, r) => (i < N - 1 ? `bulkId:r${r}u${i + 1}` : undefined)],
  ["each needs the previous", (i, r) => (i > 0 ? `bulkId:r${r}u${i - 1}` : undefined)],
  ["none needs another", () => undefined],
];

const h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
for (const [name, ref] of shapes) {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t = await h.newTenant(`bench ${name} ${round}`);
    const Operations = Array.from({ length: N }, (_, i) => ({
      method: "POST",
      path: "/Users",
      bulkId: `r${round}u${i}`,
      data: { userName: `u${i}@example.com`, emails, ...(ref(i, round) ? { externalId: ref(i, round) } : {}) },
    }));
    const start = performance.now();
    const res = await h.request("POST", `${t.url}/Bulk`, { token: t.token, body: { schemas: [BULK], Operations } });
    const body = (await res.json()) as { Operations: { status: string }[] };
    times.push(performance.now() - start);
    const created = body.Operations.filter((o) => o.status === "201").length;
    if (res.status !== 200 || created !== N) throw new Error(`${name}: ${res.status}, ${created} of ${N} created`);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(26)} n=${N}  median ${times[ROUNDS >> 1].toFixed(0).padStart(6)} ms  (min ${times[0].toFixed(0)}, max ${times[ROUNDS - 1].toFixed(0)})`);
}
