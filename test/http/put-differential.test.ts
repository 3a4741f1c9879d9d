// Differential test of POST and PUT for /Users and /Groups (RFC 7644 §3.3, §3.5.1; RFC 7643 §2.2–§2.5, §4.1–§4.3):
// seeded bodies (test/support/put-generator.ts, put-group-generator.ts) answered by the real router and by a
// reference written from the RFCs, entra.md and the README (test/support/put-reference.ts). Either both accept, and
// the answer and a following GET equal the reference's resource (meta ignored, multi-valued order ignored; a
// projected answer equals the GET with the same parameters), meta.created stays on PUT and meta.version moved
// exactly when something changed; or both refuse with the same status and scimType and the database is unchanged,
// byte for byte. FUZZ_SEED=n picks the seed, FUZZ_RESOURCES=n how many users (and a third as many groups) are
// created and then replaced PUTS_EACH times; the defaults keep CI deterministic and within a few seconds.
import { beforeAll, expect, test } from "bun:test";
import { type Client, type Doc, type Reply, rng, setUp, snapshot } from "./client";
import { entraUser, type Rng, spell } from "../support/patch-generator";
import { normalised, type Outcome } from "../support/patch-reference";
import { ENTERPRISE } from "../support/patch-schema";
import { randomUserBody } from "../support/put-generator";
import { randomGroupBody } from "../support/put-group-generator";
import { type Member, referenceGroupWrite, referenceUserWrite } from "../support/put-reference";

const SEED = Number(process.env.FUZZ_SEED ?? 0x9075);
const RESOURCES = Number(process.env.FUZZ_RESOURCES ?? 80);
const PUTS_EACH = 4;

const USER_PROJECTABLE = ["userName", "emails", "emails.value", "name.givenName", "displayName", "active", "password", "groups", "id", "addresses.locality", ENTERPRISE, `${ENTERPRISE}:manager`, "meta"];
const GROUP_PROJECTABLE = ["displayName", "externalId", "members", "members.display", "id", "meta"];

interface Mismatch {
  seed: number;
  request: string;
  before?: Doc;
  body: Doc;
  ifMatch?: string;
  server: unknown;
  reference: unknown;
}

const metaOf = (resource: Doc) => (resource.meta ?? {}) as Doc;
const describeServer = (r: Reply) => (r.status < 300 ? normalised(r.body) : `${r.status} ${String(r.body.scimType)}: ${String(r.body.detail)}`);
const describeReference = (o: Outcome) => (o.ok ? { resource: normalised(o.user), password: o.password } : `${o.status} ${o.scimType} (${o.why})`);

/** Now and then a projection of the answer (RFC 7644 §3.9: POST and PUT take attributes and excludedAttributes). */
function projectionQuery(r: Rng, projectable: string[]): string {
  if (r.next() >= 0.12) return "";
  const names = Array.from({ length: 1 + r.int(2) }, () => spell(r, r.pick(projectable)));
  return `?${r.pick(["attributes", "excludedAttributes", "Attributes"])}=${encodeURIComponent(names.join(","))}`;
}

/**
 * Now and then a precondition (RFC 7644 §3.14): the current version or `*`, which apply, or an older (or made-up)
 * version or an empty header (README: names no ETag), which are 412 and change nothing, whatever the body: a
 * precondition is evaluated before the content is processed (RFC 9110 §13.2.2), so a bad body is 412 too.
 */
function precondition(r: Rng, before: Doc, seen: string[], reference: Outcome): { header?: Record<string, string>; stale: boolean } {
  const roll = r.next();
  const current = String(metaOf(before).version);
  // RFC 9110 §13.1.1: If-Match takes a list of entity-tags; one that matches is enough.
  if (roll < 0.08) return { header: { "If-Match": roll < 0.06 ? current : `W/"not-a-version", ${current}` }, stale: false };
  if (roll < 0.11) return { header: { "If-Match": "*" }, stale: false };
  if (roll < 0.17) {
    const old = seen.filter((v) => v !== current);
    const stale = old.length ? r.pick(old) : 'W/"not-a-version"';
    return { header: { "If-Match": roll < 0.14 ? stale : roll < 0.15 ? `${stale}, W/"not-a-version"` : "" }, stale: true };
  }
  return { stale: false };
}

interface Write {
  method: "POST" | "PUT";
  /** "/Users" for a POST, "/Users/{id}" for a PUT. */
  path: string;
  body: Doc;
  reference: Outcome;
  /** PUT: the resource as GET returned it just before. */
  before?: Doc;
  /** PUT: versions it had before, for stale preconditions. */
  seen?: string[];
  /** The user had a password before (a PUT that clears it changes the user). */
  hadPassword?: boolean;
}

/** Sends one write and compares; returns the resource as GET then returns it, or undefined if it was refused. */
async function check(c: Client, r: Rng, w: Write, projectable: string[], mismatches: Mismatch[]): Promise<Doc | undefined> {
  const query = projectionQuery(r, projectable);
  const { header, stale } = w.before ? precondition(r, w.before, w.seen ?? [], w.reference) : { header: undefined, stale: false };
  // RFC 7644 §3.14: "If the version does not match, the service provider returns HTTP status 412"; §3.12 names no scimType.
  const reference: Outcome = stale ? { ok: false, status: 412, scimType: undefined, why: "stale If-Match" } : w.reference;
  const dbBefore = reference.ok ? "" : snapshot(c.h);
  const answer = w.method === "POST" ? await c.post(`${w.path}${query}`, w.body) : await c.put(`${w.path}${query}`, w.body, header);
  const report = (server: unknown) =>
    mismatches.push({ seed: SEED, request: `${w.method} ${w.path}${query}`, before: w.before, body: w.body, ifMatch: header?.["If-Match"], server, reference: describeReference(reference) });
  if (!reference.ok) {
    const refusedAlike = answer.status === reference.status && answer.body.scimType === reference.scimType;
    // RFC 7644 §3.12: an error changes nothing; the whole database is compared, meta and counts included.
    if (!refusedAlike) report(describeServer(answer));
    else if (snapshot(c.h) !== dbBefore) report({ changedByRefusedWrite: w.path });
    return undefined;
  }
  const created = w.method === "POST";
  if (answer.status !== (created ? 201 : 200)) return void report(describeServer(answer));
  const location = created ? `${w.path}/${String(answer.body.id)}` : w.path;
  const after = (await c.get(location)).body;
  const want = normalised({ ...reference.user, id: after.id });
  const meta = metaOf(after);
  const changed = created || !Bun.deepEquals(want, normalised(w.before ?? {})) || reference.password === "set" || (reference.password === "clear" && w.hadPassword === true);
  if (query === "" && !Bun.deepEquals(normalised(answer.body), want)) report(describeServer(answer));
  else if (!Bun.deepEquals(normalised(after), want)) report({ getAfterWrite: normalised(after) });
  else if (created && (meta.created !== meta.lastModified || typeof meta.version !== "string")) report({ createdMeta: meta });
  else if (w.before && meta.created !== metaOf(w.before).created) report({ createdMoved: [metaOf(w.before).created, meta.created] });
  else if (w.before && (meta.version === metaOf(w.before).version) === changed) report({ version: [metaOf(w.before).version, meta.version], changed });
  else if (w.before && !changed && meta.lastModified !== metaOf(w.before).lastModified) report({ lastModifiedMoved: [metaOf(w.before).lastModified, meta.lastModified] });
  else if (answer.headers.get("etag") !== meta.version) report({ etag: answer.headers.get("etag"), version: meta.version });
  // RFC 7644 §3.3: a 201 carries the new resource's URI in Location, as meta.location.
  else if (created && answer.headers.get("location") !== meta.location) report({ location: answer.headers.get("location"), metaLocation: meta.location });
  else if (JSON.stringify(answer.body).toLowerCase().includes('"password"')) report({ passwordReturned: answer.body });
  else if (query !== "") {
    // §3.9: the answer is projected as a GET with the same parameters would be.
    const projected = (await c.get(`${location}${query}`)).body;
    if (!Bun.deepEquals(answer.body, projected)) report({ projectedAnswer: answer.body, projectedGet: projected });
  }
  return after;
}

function expectAgreement(mismatches: Mismatch[], accepted: number, sent: number) {
  for (const m of mismatches.slice(0, Number(process.env.FUZZ_SHOW ?? 8))) console.log(JSON.stringify(m));
  expect(mismatches.length).toBe(0);
  // The generators must mostly produce requests that apply, or the comparison says little.
  expect(accepted).toBeGreaterThan(sent / 2);
}

test(`POST and PUT /Users agree with the reference (seed ${SEED}, ${RESOURCES} users × ${1 + PUTS_EACH} requests)`, async () => {
  const c = await setUp("put-differential-users");
  const r = rng(SEED);
  const names = new Map<string, string>();
  for (const userName of ["boss.one@contoso.com", "boss.two@contoso.com", "taken.user@contoso.com"]) names.set(String((await c.user({ userName })).id), userName);
  const managerIds = [...names.keys()];
  const others = (id?: string) => [...names].filter(([other]) => other !== id).map(([, n]) => n);
  const mismatches: Mismatch[] = [];
  let accepted = 0;
  let fresh = 0;
  const freshName = () => `${["user", "Straße", "zoë", "O'Neil"][fresh % 4]}.${SEED}.${fresh++}@contoso.com`;
  for (let u = 0; u < RESOURCES; u++) {
    const body = randomUserBody(r, { userName: freshName(), takenName: r.pick(others()), managerIds });
    const reference = referenceUserWrite(body, { taken: others() });
    let current = await check(c, r, { method: "POST", path: "/Users", body, reference }, USER_PROJECTABLE, mismatches);
    if (current) accepted++;
    // A refused create leaves nothing to replace: an Entra-shaped user stands in.
    current ??= (await c.get(`/Users/${String((await c.user(entraUser(r, freshName(), managerIds))).id)}`)).body;
    const id = String(current.id);
    names.set(id, String(current.userName));
    let hadPassword = reference.ok && reference.password === "set";
    const seen = [String(metaOf(current).version)];
    for (let step = 0; step < PUTS_EACH; step++) {
      const put = randomUserBody(r, { userName: freshName(), takenName: r.pick(others(id)), managerIds, current });
      const ref = referenceUserWrite(put, { stored: current, taken: others(id) });
      const after = await check(c, r, { method: "PUT", path: `/Users/${id}`, body: put, reference: ref, before: current, seen, hadPassword }, USER_PROJECTABLE, mismatches);
      if (after && ref.ok) {
        accepted++;
        if (ref.password) hadPassword = ref.password === "set";
        names.set(id, String(after.userName));
      }
      current = (await c.get(`/Users/${id}`)).body;
      seen.push(String(metaOf(current).version));
    }
  }
  // Each POST the reference refused created nothing, and each one it took created one user.
  expect((await c.get("/Users?count=0")).body.totalResults).toBe(names.size);
  expectAgreement(mismatches, accepted, RESOURCES * (1 + PUTS_EACH));
}, 60_000);

test(`POST and PUT /Groups agree with the reference (seed ${SEED}, ${Math.ceil(RESOURCES / 3)} groups × ${1 + PUTS_EACH} requests)`, async () => {
  const c = await setUp("put-differential-groups");
  const r = rng(SEED ^ 0x6a0b);
  const base = `http://scimd.test${c.tenant.url}`;
  const users: Member[] = [];
  for (const [i, displayName] of ["Ada Lovelace", undefined, "Zoë Brontë", undefined, "Straße"].entries()) {
    const created = await c.user({ userName: `member.${i}@contoso.com`, ...(displayName ? { displayName } : {}) });
    users.push({ id: String(created.id), kind: "User", name: String(created.displayName ?? created.userName) });
  }
  const groups: Member[] = [];
  const taken = await c.group({ displayName: "Taken Group" });
  groups.push({ id: String(taken.id), kind: "Group", name: "Taken Group" });
  const others = (id?: string) => groups.filter((g) => g.id !== id).map((g) => g.name);
  const mismatches: Mismatch[] = [];
  let accepted = 0;
  let names = 0;
  const fresh = () => `${["Sales", "R&D", "Straße", "İpek", "Zoë"][names % 5]} ${SEED}-${names++}`;
  const count = Math.ceil(RESOURCES / 3);
  for (let g = 0; g < count; g++) {
    const body = randomGroupBody(r, { displayName: fresh(), takenName: r.pick(others()), users, groups });
    const reference = referenceGroupWrite(body, { taken: others(), directory: [...users, ...groups], base });
    let current = await check(c, r, { method: "POST", path: "/Groups", body, reference }, GROUP_PROJECTABLE, mismatches);
    if (current) accepted++;
    current ??= (await c.get(`/Groups/${String((await c.group({ displayName: fresh() })).id)}`)).body;
    const self: Member = { id: String(current.id), kind: "Group", name: String(current.displayName) };
    groups.push(self);
    const seen = [String(metaOf(current).version)];
    for (let step = 0; step < PUTS_EACH; step++) {
      const put = randomGroupBody(r, { displayName: fresh(), takenName: r.pick(others(self.id)), users, groups, current });
      const ref = referenceGroupWrite(put, { selfId: self.id, taken: others(self.id), directory: [...users, ...groups], base });
      const after = await check(c, r, { method: "PUT", path: `/Groups/${self.id}`, body: put, reference: ref, before: current, seen }, GROUP_PROJECTABLE, mismatches);
      if (after && ref.ok) {
        accepted++;
        self.name = String(after.displayName);
      }
      current = (await c.get(`/Groups/${self.id}`)).body;
      seen.push(String(metaOf(current).version));
    }
  }
  expect((await c.get("/Groups?count=0")).body.totalResults).toBe(groups.length);
  expectAgreement(mismatches, accepted, count * (1 + PUTS_EACH));
}, 60_000);
