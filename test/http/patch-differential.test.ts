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
import { entraUser, randomPatch, type Rng, spell } from "../support/patch-generator";
import { randomGroupPatch } from "../support/patch-group-generator";
import { normalised, type Outcome, referencePatch } from "../support/patch-reference";
import { ENTERPRISE, GROUP_RESOURCE, type ResourceSchema, USER_RESOURCE } from "../support/patch-schema";

const SEED = Number(process.env.FUZZ_SEED ?? 0x9a7c);
const RESOURCES = Number(process.env.FUZZ_RESOURCES ?? 120);
const PATCHES_EACH = 6;
const TAKEN_USER = "taken.user@contoso.com";
const TAKEN_GROUP = "Taken Group";

const USER_PROJECTABLE = ["userName", "emails", "emails.value", "name.givenName", "displayName", "password", "groups", "id", "addresses.locality", "x509Certificates", "roles.value", ENTERPRISE, `${ENTERPRISE}:department`, `${ENTERPRISE}:manager`, "meta"];
const GROUP_PROJECTABLE = ["displayName", "externalId", "members", "id", "meta"];

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
  query: string;
  ifMatch: string | undefined;
  server: unknown;
  reference: unknown;
}

const metaOf = (resource: Doc) => resource.meta as Doc;
const describeServer = (status: number, body: Doc) => (status === 200 ? normalised(body) : `${status} ${String(body.scimType)}: ${String(body.detail)}`);
const describeReference = (o: Outcome) => (o.ok ? { user: normalised(o.user), password: o.password } : `${o.status} ${o.scimType} (${o.why})`);

interface Sequence {
  rs: ResourceSchema;
  location: string;
  taken: string[];
  next(r: Rng, before: Doc): Doc;
  /** Names for `attributes=` / `excludedAttributes=` (RFC 7644 §3.9). */
  projectable: string[];
}

/** Now and then a projection of the answer (RFC 7644 §3.9: PATCH takes attributes and excludedAttributes too). */
function projectionQuery(r: Rng, s: Sequence): string {
  if (r.next() >= 0.12) return "";
  const names = Array.from({ length: 1 + r.int(2) }, () => spell(r, r.pick(s.projectable)));
  return `?${r.pick(["attributes", "excludedAttributes", "Attributes"])}=${encodeURIComponent(names.join(","))}`;
}

/**
 * Now and then a precondition (RFC 7644 §3.14): the current version or `*`, which apply, or a version the
 * resource had before (or never had), which is 412 and changes nothing.
 */
function precondition(r: Rng, before: Doc, seen: string[]): { header?: Record<string, string>; stale: boolean } {
  const roll = r.next();
  const current = String(metaOf(before).version);
  if (roll < 0.08) return { header: { "If-Match": current }, stale: false };
  if (roll < 0.11) return { header: { "If-Match": "*" }, stale: false };
  if (roll < 0.15) {
    const old = seen.filter((v) => v !== current);
    return { header: { "If-Match": old.length ? r.pick(old) : 'W/"not-a-version"' }, stale: true };
  }
  return { stale: false };
}

/** Sends the sequence's PATCHes one after another, each checked against the reference; returns how many applied. */
async function run(r: Rng, s: Sequence, mismatches: Mismatch[]): Promise<number> {
  let accepted = 0;
  let before = (await c.get(s.location)).body;
  let hasPassword = false;
  const seen = [String(metaOf(before).version)];
  for (let step = 0; step < PATCHES_EACH; step++) {
    const body = s.next(r, before);
    const query = projectionQuery(r, s);
    const { header, stale } = precondition(r, before, seen);
    // RFC 7644 §3.14: "If the version does not match, the service provider returns HTTP status 412"; §3.12 names no
    // scimType for it. The RFC does not order a precondition and a bad body: scimd checks the version first.
    const reference: Outcome = stale
      ? { ok: false, status: 412, scimType: undefined, why: "stale If-Match" }
      : referencePatch(s.rs, before, body as { Operations: Doc[] }, s.taken);
    const answer = await c.patch(`${s.location}${query}`, body, header);
    const after = (await c.get(s.location)).body;
    const report = (server: unknown) =>
      mismatches.push({ seed: SEED, resource: s.location, step, before, body, query, ifMatch: header?.["If-Match"], server, reference: describeReference(reference) });
    if (reference.ok) {
      const want = normalised(reference.user);
      // entra.md: Group PATCH → 204 is preferred; a 200 carries the resource. RFC 7644 §3.5.2: "The server MUST
      // return a 200 OK if the "attributes" parameter is specified in the request."
      const namesAttributes = /[?&]attributes=/i.test(query);
      const answered = answer.status === 200 || (answer.status === 204 && s.rs === GROUP_RESOURCE && !namesAttributes);
      // README: a PATCH that changes nothing keeps the ETag; one that changes something moves it, a new password too.
      const changed = !Bun.deepEquals(want, normalised(before)) || reference.password === "set" || (reference.password === "clear" && hasPassword);
      if (!answered) report(describeServer(answer.status, answer.body));
      else if (answer.status === 200 && query === "" && !Bun.deepEquals(normalised(answer.body), want)) report(describeServer(answer.status, answer.body));
      else if (!Bun.deepEquals(normalised(after), want)) report({ getAfterPatch: normalised(after) });
      else if ((metaOf(after).version === metaOf(before).version) === changed) report({ version: [metaOf(before).version, metaOf(after).version] });
      else if (answer.status === 200 && query !== "" && !Bun.deepEquals(answer.body, (await c.get(`${s.location}${query}`)).body)) {
        // §3.9: the PATCH answer is projected as a GET with the same parameters would be.
        report({ projectedAnswer: answer.body, projectedGet: (await c.get(`${s.location}${query}`)).body });
      } else if (JSON.stringify(answer.body).toLowerCase().includes('"password"')) report({ passwordReturned: answer.body });
      else accepted++;
      if (reference.password) hasPassword = reference.password === "set";
    } else {
      const refusedAlike = answer.status === reference.status && answer.body.scimType === reference.scimType;
      // RFC 7644 §3.5.2: on an error "the original SCIM resource MUST be restored", meta included.
      if (!refusedAlike) report(describeServer(answer.status, answer.body));
      else if (!Bun.deepEquals(after, before)) report({ changedByRefusedPatch: normalised(after) });
    }
    before = after;
    seen.push(String(metaOf(before).version));
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
    accepted += await run(r, { rs: USER_RESOURCE, location: `/Users/${id}`, taken, next, projectable: USER_PROJECTABLE }, mismatches);
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
    accepted += await run(r, { rs: GROUP_RESOURCE, location: `/Groups/${id}`, taken: [TAKEN_GROUP], next, projectable: GROUP_PROJECTABLE }, mismatches);
  }
  expectAgreement(mismatches, accepted, groups * PATCHES_EACH);
}, 60_000);
