// Differential test of POST /Bulk (RFC 7644 §3.7, §3.7.1–3.7.4): seeded BulkRequests (test/support/bulk-generator.ts)
// against a tenant's Users and Groups, each answered by the real router and by a reference written from the RFC
// (test/support/bulk-reference.ts). Compared: the Bulk response's status (and scimType when the whole request is
// refused), each operation's method, bulkId, status, location, whether it has a version, and response.scimType;
// then every user and group of the tenant as GET shows it (members and groups included, meta aside), each version
// moving exactly when its resource changed. A refused request changes no row at all.
// FUZZ_SEED=n picks the seed, FUZZ_RESOURCES=n how many BulkRequests are sent; the defaults keep CI deterministic.
import { expect, test } from "bun:test";
import { type Client, type Doc, rng, setUp, snapshot } from "./client";
import { randomBulkRequest, type World } from "../support/bulk-generator";
import { type RefAnswer, type RefResult, referenceBulk } from "../support/bulk-reference";
import { type Kind, type RefState, serverView, views } from "../support/bulk-resources";

const SEED = Number(process.env.FUZZ_SEED ?? 0xb01c);
const REQUESTS = Number(process.env.FUZZ_RESOURCES ?? 80);

interface Tenant {
  resources: Map<string, Doc>;
  state: RefState;
}

async function read(c: Client): Promise<Tenant> {
  const resources = new Map<string, Doc>();
  const state: RefState = { users: new Map(), groups: new Map() };
  for (const kind of ["Users", "Groups"] as Kind[]) {
    const list = (await c.get(`/${kind}?count=10000`)).body.Resources as Doc[] | undefined;
    for (const body of list ?? []) {
      const id = String(body.id);
      resources.set(`${kind}/${id}`, body);
      const view = serverView(kind, body);
      if (kind === "Users") state.users.set(id, { userName: String(view.userName), displayName: view.displayName as string | undefined, title: view.title as string | undefined, manager: view.manager as string | undefined });
      else state.groups.set(id, { displayName: String(view.displayName), members: (view.members as Doc[]).map((m) => String(m.value)) });
    }
  }
  return { resources, state };
}

const versionOf = (body: Doc | undefined) => String((body?.meta as Doc | undefined)?.version);

/** What the server's BulkResponse says of each operation, in the reference's terms. */
function serverResults(c: Client, body: Doc) {
  const prefix = `http://scimd.test${c.tenant.url}/`;
  return ((body.Operations ?? []) as Doc[]).map((o) => {
    const location = typeof o.location === "string" ? (o.location.startsWith(prefix) ? o.location.slice(prefix.length) : o.location) : undefined;
    const scimType = (o.response as Doc | undefined)?.scimType as string | undefined;
    return Object.fromEntries(
      Object.entries({ method: o.method, bulkId: o.bulkId, status: o.status, location, version: typeof o.version === "string" && o.version !== "", scimType }).filter(([, v]) => v !== undefined),
    );
  });
}
const refResults = (answer: RefAnswer & { ok: true }) =>
  answer.results.map(({ why: _why, ...r }: RefResult) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

/** What the server answered, tallied, so that a generator that stops producing a case is noticed. */
const outcomes = new Map<string, number>();
const tally = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

/** Sends one BulkRequest and returns what disagrees with the reference, or undefined. */
async function exchange(c: Client, request: Doc): Promise<unknown> {
  const before = await read(c);
  const rows = snapshot(c.h);
  const text = JSON.stringify(request);
  const answer = await c.send("POST", "/Bulk", text);
  if (answer.status !== 200) tally(`request ${answer.status} ${String(answer.body.scimType)}`);
  for (const o of (answer.body.Operations ?? []) as Doc[]) tally(`${String(o.method)} ${String(o.status)} ${String((o.response as Doc | undefined)?.scimType ?? "")}`.trim());
  const created = new Map<string, string>();
  for (const o of (answer.body.Operations ?? []) as Doc[]) {
    if (o.method === "POST" && o.status === "201" && typeof o.location === "string") created.set(String(o.bulkId), o.location.split("/").pop()!);
  }
  const versions = new Map([...before.resources].map(([key, body]) => [key, versionOf(body)]));
  const reference = referenceBulk(text, { state: before.state, versions, newId: (bulkId) => created.get(String(bulkId)) ?? `not-created-${String(bulkId)}` });
  if (!reference.ok) {
    const refused = { status: answer.status, scimType: answer.body.scimType };
    if (!Bun.deepEquals(refused, { status: reference.status, scimType: reference.scimType })) return { server: refused, reference };
    return snapshot(c.h) === rows ? undefined : { changedByRefusedRequest: true };
  }
  if (answer.status !== 200) return { server: { status: answer.status, body: answer.body }, reference: refResults(reference) };
  const server = serverResults(c, answer.body);
  const want = refResults(reference);
  if (!Bun.deepEquals(server, want)) return { operations: server.map((s, i) => (Bun.deepEquals(s, want[i]) ? "=" : { server: s, reference: want[i], why: reference.results[i]?.why })), extra: want.slice(server.length) };
  const after = await read(c);
  const expected = views(reference.state);
  for (const key of new Set([...expected.keys(), ...after.resources.keys()])) {
    const got = after.resources.get(key);
    const view = got && serverView(key.split("/")[0] as Kind, got);
    if (!Bun.deepEquals(view, expected.get(key))) return { resource: key, server: view, reference: expected.get(key) };
    if (got && before.resources.has(key) && (versionOf(got) !== versionOf(before.resources.get(key))) !== reference.changed.has(key)) {
      return { resource: key, versionMoved: versionOf(got) !== versionOf(before.resources.get(key)), changed: reference.changed.has(key), before: versionOf(before.resources.get(key)), after: versionOf(got) };
    }
  }
  return undefined;
}

test(`POST /Bulk agrees with the reference (seed ${SEED}, ${REQUESTS} requests)`, async () => {
  const c = await setUp("bulk-differential");
  const strangerTenant = await c.h.newTenant("stranger");
  const strangerUser = await c.h.request("POST", `${strangerTenant.url}/Users`, { token: strangerTenant.token, body: { userName: "ada" } });
  const stranger = { base: `/scim/v2/${strangerTenant.id}`, userId: String(((await strangerUser.json()) as Doc).id) };
  const [ada, bo] = [await c.user({ userName: "ada", displayName: "Ada L" }), await c.user({ userName: "bo" })];
  await c.group({ displayName: "Eng", members: [{ value: ada.id }, { value: bo.id }] });
  await c.group({ displayName: "Ops" });

  const r = rng(SEED);
  const mismatches: unknown[] = [];
  let applied = 0;
  for (let n = 0; n < REQUESTS; n++) {
    const { resources } = await read(c);
    const list = (kind: Kind) => [...resources].filter(([k]) => k.startsWith(`${kind}/`)).map(([k, body]) => ({ id: k.split("/")[1], version: versionOf(body) }));
    const world: World = { users: list("Users"), groups: list("Groups"), stranger };
    const request = randomBulkRequest(r, world);
    const mismatch = await exchange(c, request);
    if (mismatch) mismatches.push({ seed: SEED, request: n, body: JSON.stringify(request).slice(0, 3000), mismatch });
    else applied++;
  }
  for (const m of mismatches.slice(0, Number(process.env.FUZZ_SHOW ?? 4))) console.log(JSON.stringify(m, null, 1));
  if (process.env.FUZZ_STATS) console.log([...outcomes].sort().map(([k, n]) => `${n}\t${k}`).join("\n"));
  expect(mismatches.length).toBe(0);
  expect(applied).toBe(REQUESTS);
  // The comparison says little unless the outcomes that matter came up.
  if (REQUESTS >= 80) {
    const seen = (pattern: RegExp) => [...outcomes.keys()].some((k) => pattern.test(k));
    for (const wanted of [/^POST 201$/, /^(PUT|PATCH) 200$/, /^DELETE 204$/, / 404$/, / 409 uniqueness$/, / 409 invalidValue$/, / 412$/, / 400 invalidPath$/, /^request 400 /]) {
      expect({ wanted: String(wanted), seen: seen(wanted) }).toEqual({ wanted: String(wanted), seen: true });
    }
  }
}, 60_000);
