// Differential test of PATCH /Users/{id} and PATCH /Groups/{id} (RFC 7644 §3.5.2, entra.md "PATCH shapes"):
// seeded sequences of PATCH requests (test/support/patch-generator.ts, patch-group-generator.ts) against resources
// created as Entra creates them, each answered by the real router and by a reference written from the RFC and
// entra.md (test/support/patch-reference.ts). Either both accept, and the PATCH answer (when it has a body) and a
// following GET equal the reference's resource (meta ignored, multi-valued order ignored), and the ETag moved
// exactly when something changed; or both refuse, with the same status and scimType, and the stored resource is
// unchanged, meta included. FUZZ_SEED=n picks the seed, FUZZ_RESOURCES=n how many users (and a third as many
// groups) get a sequence; the defaults keep CI deterministic and within a few seconds.
import { beforeAll, expect, test } from "bun:test";
import { AD_GROUP, type Client, type Doc, rng, setUp } from "./client";
import { entraUser, randomPatch, type Rng } from "../support/patch-generator";
import { randomGroupPatch } from "../support/patch-group-generator";
import { normalised, type Outcome, referencePatch } from "../support/patch-reference";
import { GROUP_RESOURCE, type ResourceSchema, USER_RESOURCE } from "../support/patch-schema";

const SEED = Number(process.env.FUZZ_SEED ?? 0x9a7c);
const RESOURCES = Number(process.env.FUZZ_RESOURCES ?? 120);
const PATCHES_EACH = 6;
const TAKEN_USER = "taken.user@contoso.com";
const TAKEN_GROUP = "Taken Group";

let c: Client;
let managerIds: string[];

beforeAll(async () => {
  c = await setUp("patch-differential");
  managerIds = [];
  for (const userName of ["boss.one@contoso.com", "boss.two@contoso.com", TAKEN_USER]) managerIds.push(String((await c.user({ userName })).id));
  await c.group({ displayName: TAKEN_GROUP });
});

interface Mismatch {
  seed: number;
  resource: string;
  step: number;
  before: Doc;
  body: Doc;
  server: unknown;
  reference: unknown;
}

const metaOf = (resource: Doc) => resource.meta as Doc;
const describeServer = (status: number, body: Doc) => (status === 200 ? normalised(body) : `${status} ${String(body.scimType)}: ${String(body.detail)}`);
const describeReference = (o: Outcome) => (o.ok ? normalised(o.user) : `${o.status} ${o.scimType} (${o.why})`);

interface Sequence {
  rs: ResourceSchema;
  location: string;
  taken: string[];
  next(r: Rng, before: Doc): Doc;
}

/** Sends the sequence's PATCHes one after another, each checked against the reference; returns how many applied. */
async function run(r: Rng, s: Sequence, mismatches: Mismatch[]): Promise<number> {
  let accepted = 0;
  let before = (await c.get(s.location)).body;
  for (let step = 0; step < PATCHES_EACH; step++) {
    const body = s.next(r, before);
    const reference = referencePatch(s.rs, before, body as { Operations: Doc[] }, s.taken);
    const answer = await c.patch(s.location, body);
    const after = (await c.get(s.location)).body;
    const report = (server: unknown) => mismatches.push({ seed: SEED, resource: s.location, step, before, body, server, reference: describeReference(reference) });
    if (reference.ok) {
      const want = normalised(reference.user);
      // entra.md: Group PATCH → 204 is preferred; a 200 carries the resource.
      const answered = answer.status === 200 || (answer.status === 204 && s.rs === GROUP_RESOURCE);
      if (!answered || (answer.status === 200 && !Bun.deepEquals(normalised(answer.body), want))) report(describeServer(answer.status, answer.body));
      else if (!Bun.deepEquals(normalised(after), want)) report({ getAfterPatch: normalised(after) });
      // README: a PATCH that changes nothing keeps the ETag; one that changes something moves it.
      else if ((metaOf(after).version === metaOf(before).version) !== Bun.deepEquals(want, normalised(before))) {
        report({ version: [metaOf(before).version, metaOf(after).version] });
      } else accepted++;
    } else {
      const refusedAlike = answer.status === reference.status && answer.body.scimType === reference.scimType;
      // RFC 7644 §3.5.2: on an error "the original SCIM resource MUST be restored", meta included.
      if (!refusedAlike) report(describeServer(answer.status, answer.body));
      else if (!Bun.deepEquals(after, before)) report({ changedByRefusedPatch: normalised(after) });
    }
    before = after;
  }
  return accepted;
}

function expectAgreement(mismatches: Mismatch[], accepted: number, sent: number) {
  for (const m of mismatches.slice(0, Number(process.env.FUZZ_SHOW ?? 8))) console.log(JSON.stringify(m));
  expect(mismatches.length).toBe(0);
  // The generators must mostly produce requests that apply, or the comparison says little.
  expect(accepted).toBeGreaterThan(sent / 2);
}

test(`PATCH /Users/{id} agrees with the reference (seed ${SEED}, ${RESOURCES} users × ${PATCHES_EACH} requests)`, async () => {
  const r = rng(SEED);
  const taken = ["boss.one@contoso.com", "boss.two@contoso.com", TAKEN_USER];
  const mismatches: Mismatch[] = [];
  let accepted = 0;
  for (let u = 0; u < RESOURCES; u++) {
    const id = String((await c.user(entraUser(r, `user.${SEED}.${u}@contoso.com`, managerIds))).id);
    const next = (rr: Rng, before: Doc) => randomPatch(rr, before, managerIds, TAKEN_USER);
    accepted += await run(r, { rs: USER_RESOURCE, location: `/Users/${id}`, taken, next }, mismatches);
  }
  expectAgreement(mismatches, accepted, RESOURCES * PATCHES_EACH);
}, 60_000);

test(`PATCH /Groups/{id} (not members) agrees with the reference (seed ${SEED}, ${Math.ceil(RESOURCES / 3)} groups × ${PATCHES_EACH} requests)`, async () => {
  const r = rng(SEED ^ 0x6a0b);
  const mismatches: Mismatch[] = [];
  let accepted = 0;
  let names = 0;
  const fresh = () => `${["Sales", "R&D", "Straße", "İpek", "Zoë"][names % 5]} ${SEED}-${names++}`;
  const groups = Math.ceil(RESOURCES / 3);
  for (let g = 0; g < groups; g++) {
    // entra.md: created with no members and the extra ADSCIM schema URN.
    const id = String((await c.group({ schemas: [AD_GROUP], displayName: fresh(), externalId: `g-${g}`, meta: { resourceType: "Group" } })).id);
    const next = (rr: Rng) => randomGroupPatch(rr, fresh, TAKEN_GROUP);
    accepted += await run(r, { rs: GROUP_RESOURCE, location: `/Groups/${id}`, taken: [TAKEN_GROUP], next }, mismatches);
  }
  expectAgreement(mismatches, accepted, groups * PATCHES_EACH);
}, 60_000);
