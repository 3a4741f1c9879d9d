// Differential test of PATCH /Users/{id} (RFC 7644 §3.5.2, entra.md "PATCH shapes"): seeded sequences of PATCH
// requests (test/support/patch-generator.ts) against users created as Entra creates them, each answered by the
// real router and by a reference written from the RFC and entra.md (test/support/patch-reference.ts). Either
// both accept, and the PATCH answer and a following GET equal the reference's user (meta ignored, multi-valued
// order ignored), or both refuse, with the same status and scimType, and the stored user is unchanged.
// FUZZ_SEED=n picks the seed, FUZZ_USERS=n how many users; the defaults keep CI deterministic and quick.
import { beforeAll, expect, test } from "bun:test";
import { type Client, type Doc, rng, setUp } from "./client";
import { entraUser, randomPatch } from "../support/patch-generator";
import { normalised, type Outcome, referencePatch } from "../support/patch-reference";

const SEED = Number(process.env.FUZZ_SEED ?? 0x9a7c);
const USERS = Number(process.env.FUZZ_USERS ?? 120);
const PATCHES_PER_USER = 6;

let c: Client;
let managerIds: string[];
const TAKEN = "taken.user@contoso.com";

beforeAll(async () => {
  c = await setUp("patch-differential");
  managerIds = [];
  for (const userName of ["boss.one@contoso.com", "boss.two@contoso.com", TAKEN]) managerIds.push(String((await c.user({ userName })).id));
});

interface Mismatch {
  seed: number;
  user: number;
  step: number;
  before: Doc;
  body: Doc;
  server: unknown;
  reference: unknown;
}

const metaOf = (user: Doc) => user.meta as Doc;
const describeServer = (status: number, body: Doc) => (status === 200 ? normalised(body) : `${status} ${String(body.scimType)}: ${String(body.detail)}`);
const describeReference = (o: Outcome) => (o.ok ? normalised(o.user) : `${o.status} ${o.scimType} (${o.why})`);

test(`PATCH /Users/{id} agrees with the reference (seed ${SEED}, ${USERS} users × ${PATCHES_PER_USER} requests)`, async () => {
  const r = rng(SEED);
  const taken = ["boss.one@contoso.com", "boss.two@contoso.com", TAKEN];
  const mismatches: Mismatch[] = [];
  let accepted = 0;
  for (let u = 0; u < USERS; u++) {
    const userName = `user.${SEED}.${u}@contoso.com`;
    const id = String((await c.user(entraUser(r, userName, managerIds))).id);
    let before = (await c.get(`/Users/${id}`)).body;
    for (let step = 0; step < PATCHES_PER_USER; step++) {
      const body = randomPatch(r, before, managerIds, TAKEN);
      const reference = referencePatch(before, body as { Operations: Doc[] }, taken);
      const answer = await c.patch(`/Users/${id}`, body);
      const after = (await c.get(`/Users/${id}`)).body;
      const report = (server: unknown) => mismatches.push({ seed: SEED, user: u, step, before, body, server, reference: describeReference(reference) });
      if (reference.ok) {
        const want = normalised(reference.user);
        if (answer.status !== 200 || !Bun.deepEquals(normalised(answer.body), want)) report(describeServer(answer.status, answer.body));
        else if (!Bun.deepEquals(normalised(after), want)) report({ getAfterPatch: normalised(after) });
        // README: a PATCH that changes nothing keeps the ETag; one that changes something moves it.
        else if ((metaOf(after).version === metaOf(before).version) !== Bun.deepEquals(want, normalised(before))) report({ version: [metaOf(before).version, metaOf(after).version] });
        else accepted++;
      } else {
        const refusedAlike = answer.status === reference.status && answer.body.scimType === reference.scimType;
        // RFC 7644 §3.5.2: on an error "the original resource is unchanged", meta included.
        if (!refusedAlike) report(describeServer(answer.status, answer.body));
        else if (!Bun.deepEquals(after, before)) report({ changedByRefusedPatch: normalised(after) });
      }
      before = after;
    }
  }
  for (const m of mismatches.slice(0, Number(process.env.FUZZ_SHOW ?? 8))) console.log(JSON.stringify(m));
  expect(mismatches.length).toBe(0);
  // The generator must mostly produce requests that apply, or the comparison says little.
  expect(accepted).toBeGreaterThan((USERS * PATCHES_PER_USER) / 2);
}, 60_000);
