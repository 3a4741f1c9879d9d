// Differential test of `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9; RFC 7643 §2.4 "returned")
// everywhere scimd answers with resources: GET /Users/{id} and /Groups/{id}, GET lists, POST /Users/.search,
// /Groups/.search and /.search (the names as arrays in the body), and the answers of POST, PUT and PATCH (the
// names in the query); scimd serves no /Me. Random lists (test/support/projection-generator.ts) over rich Users
// and nested Groups, with a tenant extension per type holding "always", "request" and "never" attributes
// (projection-fixtures.ts), are answered by the real router and by a reference written from the RFCs over the
// characteristics /Schemas advertises (projection-reference.ts), applied to the resource as the unprojected GET
// answers it. Either both answer the same JSON (memberships in any order), or both refuse alike: a POST whose
// name is taken is 409 uniqueness and an unknown id 404 whatever the projection. Writes to Users specify the
// extension's "request" attributes now and then, in every form (projection-request-writes.ts): RFC 7643 §2.4
// returns them "in response to any PUT, POST, or PATCH operations if the attribute was specified by the client".
// Left out because RFC 7644 does not settle them: the core schema's URN alone; `id`/`meta` qualified with the
// core URN; the URN alone of an extension holding a "request" attribute (does naming the extension name it?).
// FUZZ_SEED=n picks the seed, FUZZ_RESOURCES=n how many users (a third as many groups) and, twenty times that,
// how many requests; the defaults keep CI deterministic and within a few seconds.
import { beforeAll, expect, test } from "bun:test";
import { type Client, type Doc, ENT, GROUP, patchOp, type Reply, rng, setUp, USER } from "./client";
import { type Rng, spell, word } from "../support/patch-generator";
import {
  GROUP_EXTENSION, groupBody, groupPatchOperations, PROJ_GROUP, PROJ_USER, USER_EXTENSION, userBody, userPatchOperations,
} from "../support/projection-fixtures";
import { projectableNames, projectionQuery, randomProjection } from "../support/projection-generator";
import { attrDef, type Projection, referenceProjection, type ResourceDefs, type SchemaDefs } from "../support/projection-reference";
import { requestPatchOperations, type RequestValues, withRequestAttributes } from "../support/projection-request-writes";

const SEED = Number(process.env.FUZZ_SEED ?? 0x3a7b);
const RESOURCES = Number(process.env.FUZZ_RESOURCES ?? 18);
const REQUESTS = RESOURCES * 20;

let c: Client;
let userDefs: ResourceDefs;
let groupDefs: ResourceDefs;
/** The "request" attributes' values by user id (GET does not show them unless asked). */
const requested = new Map<string, RequestValues>();
/** Users created with a hint that the rounds never write, and the users the POST, PUT and PATCH rounds write. */
const hinted: string[] = [];
const writable: string[] = [];
const managers: string[] = [];
const groupIds: string[] = [];
let takenGroupName: string;
const users = () => [...hinted, ...writable];

async function advertised(): Promise<void> {
  const listed = (await c.get("/Schemas")).body.Resources as Doc[];
  const schema = (id: string): SchemaDefs => {
    const found = listed.find((s) => s.id === id);
    if (!found) throw new Error(`no ${id} in /Schemas`);
    return { id, attributes: (found.attributes as Doc[]).map(attrDef) };
  };
  userDefs = { core: schema(USER), extensions: [schema(ENT), schema(PROJ_USER)] };
  groupDefs = { core: schema(GROUP), extensions: [schema(PROJ_GROUP)] };
}

beforeAll(async () => {
  c = await setUp("projection-differential");
  for (const schema of [USER_EXTENSION, GROUP_EXTENSION]) {
    const res = await c.h.admin("PUT", `/tenants/${c.tenant.id}/schemas`, schema);
    if (res.status !== 200) throw new Error(`schema: ${res.status} ${await res.text()}`);
  }
  await advertised();
  const r = rng(SEED);
  for (const userName of ["boss.one@contoso.com", "boss.two@contoso.com"]) managers.push(String((await c.user({ userName })).id));
  for (let u = 0; u < RESOURCES; u++) {
    const body = userBody(r, `user.${SEED}.${u}@contoso.com`, managers);
    if (u % 2 === 1) writable.push(String((await c.user(body)).id));
    else {
      const hint = `${word(r)} ${u}`;
      const id = String((await c.user({ ...body, [PROJ_USER]: { ...(body[PROJ_USER] as Doc), hint } })).id);
      hinted.push(id);
      requested.set(id, { hint });
    }
  }
  for (let g = 0; g < Math.ceil(RESOURCES / 3); g++) groupIds.push(String((await c.group(groupBody(r, `${word(r)} group ${g}`, users(), groupIds))).id));
  // ASCII, so that any-case spellings of it are the same name under every case folding.
  takenGroupName = `Taken Group ${SEED}`;
  groupIds.push(String((await c.group(groupBody(r, takenGroupName, users(), groupIds))).id));
});

/** The whole resource: what GET answers, plus the "request" attributes the test wrote. */
function full(resource: Doc): Doc {
  const { hint, door } = requested.get(String(resource.id)) ?? {};
  if (hint === undefined && door === undefined) return resource;
  const schemas = resource.schemas as string[];
  const ext: Doc = { ...(resource[PROJ_USER] as Doc | undefined), ...(hint === undefined ? {} : { hint }) };
  if (door !== undefined) ext.building = { ...(ext.building as Doc | undefined), door };
  return { ...resource, schemas: schemas.includes(PROJ_USER) ? schemas : [...schemas, PROJ_USER], [PROJ_USER]: ext };
}

const isGroup = (resource: Doc) => (resource.schemas as string[]).includes(GROUP);
const expected = (resource: Doc, p: Projection, specified: string[] = []) =>
  referenceProjection(isGroup(resource) ? groupDefs : userDefs, full(resource), p, specified);

// Memberships come from queries over other tables; scimd promises no order for them.
const sorted = (items: unknown) => (Array.isArray(items) ? items.map((x) => JSON.stringify(x)).sort() : items);
const normalised = (resource: Doc): Doc => ({ ...resource, groups: sorted(resource.groups), members: sorted(resource.members) });
const agree = (server: Doc, reference: Doc) => Bun.deepEquals(normalised(server), normalised(reference), true);

interface Mismatch {
  seed: number;
  round: number;
  request: string;
  server: unknown;
  reference: unknown;
}

/** What one round checks, and what it found. */
interface Round {
  p: Projection;
  request: string;
  report(server: unknown, reference: unknown): void;
}

const counts = { resources: 0, refusals: 0, writes: 0 };

const described = (r: Reply) => (r.status < 300 ? r.status : `${r.status} ${String(r.body.scimType)}: ${String(r.body.detail ?? r.text)}`);
const withQuery = (path: string, p: Projection) => {
  const query = projectionQuery(p);
  return query ? `${path}${path.includes("?") ? "&" : "?"}${query}` : path;
};
const asBody = (p: Projection): Doc => ({ ...(p.attributes ? { attributes: p.attributes } : {}), ...(p.excludedAttributes ? { excludedAttributes: p.excludedAttributes } : {}) });

/**
 * One resource answered with a projection, compared with the reference over the unprojected GET; `specified`:
 * the "request" attributes the write answered specified.
 */
async function one(o: Round, status: number, answer: Reply, specified: string[] = []) {
  if (answer.status !== status) return o.report(described(answer), status);
  const location = `/${isGroup(answer.body) ? "Groups" : "Users"}/${String(answer.body.id)}`;
  const want = expected((await c.get(location)).body, o.p, specified);
  if (!agree(answer.body, want)) return o.report(answer.body, want);
  counts.resources++;
}

/** Both refuse alike; the projection must not change a refusal. */
function refused(o: Round, answer: Reply, status: number, scimType?: string) {
  if (answer.status !== status || answer.body.scimType !== scimType) return o.report(described(answer), `${status} ${String(scimType)}`);
  counts.refusals++;
}

/** A list answered with a projection: each resource compared, by id, with the unprojected list's. */
async function list(o: Round, answer: Reply, unprojected: Reply) {
  if (answer.status !== 200 || unprojected.status !== 200) return o.report(described(answer), described(unprojected));
  const whole = new Map((unprojected.body.Resources as Doc[]).map((d) => [String(d.id), d]));
  const got = answer.body.Resources as Doc[];
  if (got.length !== whole.size || answer.body.totalResults !== unprojected.body.totalResults) {
    return o.report({ ids: got.map((d) => d.id), total: answer.body.totalResults }, { ids: [...whole.keys()], total: unprojected.body.totalResults });
  }
  for (const resource of got) {
    const base = whole.get(String(resource.id));
    if (!base) return o.report(resource, "an id of the unprojected list");
    const want = expected(base, o.p);
    if (!agree(resource, want)) return o.report(resource, want);
    counts.resources++;
  }
}

async function read(r: Rng, o: Round, type: "Users" | "Groups") {
  const known = type === "Users" ? users() : groupIds;
  const path = withQuery(`/${type}/${r.next() < 0.05 ? "0badc0de-0000-4000-8000-000000000000" : r.pick(known)}`, o.p);
  o.request = `GET ${path}`;
  const answer = await c.get(path);
  // RFC 7644 §3.12: 404 "Specified resource (e.g., User) or endpoint does not exist", no scimType.
  return path.includes("0badc0de") ? refused(o, answer, 404) : one(o, 200, answer);
}

async function page(r: Rng, o: Round, type: "Users" | "Groups") {
  const path = `/${type}?sortBy=${type === "Users" ? "userName" : "displayName"}&startIndex=${1 + r.int(6)}&count=${1 + r.int(8)}`;
  o.request = `GET ${withQuery(path, o.p)}`;
  return list(o, await c.get(withQuery(path, o.p)), await c.get(path));
}

async function search(r: Rng, o: Round, type: "Users" | "Groups") {
  // §3.4.3: the root endpoint searches every resource type; each resource is projected by its own schema.
  const across = r.next() < 0.3;
  const pick = () => (across ? r.pick(r.next() < 0.6 ? users() : groupIds) : r.pick(type === "Users" ? users() : groupIds));
  const query = { filter: Array.from({ length: 1 + r.int(4) }, () => `id eq "${pick()}"`).join(" or "), count: 50 };
  const path = across ? "/.search" : `/${type}/.search`;
  o.request = `POST ${path} ${JSON.stringify({ ...query, ...asBody(o.p) })}`;
  return list(o, await c.post(path, { ...query, ...asBody(o.p) }), await c.post(path, query));
}

let fresh = 0;

async function writeUser(r: Rng, o: Round) {
  const how = r.pick(["POST", "PUT", "PATCH"] as const);
  counts.writes++;
  if (how === "POST") {
    const path = withQuery("/Users", o.p);
    o.request = `POST ${path}`;
    // RFC 7644 §3.3: a duplicate userName is 409 with scimType "uniqueness"; scimd compares names in any case.
    if (r.next() < 0.1) return refused(o, await c.post(path, userBody(r, spell(r, `user.${SEED}.1@contoso.com`), managers)), 409, "uniqueness");
    const w = withRequestAttributes(r, userBody(r, `new.${SEED}.${fresh++}@contoso.com`, managers));
    o.request += ` ${JSON.stringify(w.specified)}`;
    const answer = await c.post(path, w.body);
    if (answer.status === 201) {
      writable.push(String(answer.body.id));
      requested.set(String(answer.body.id), w.values);
    }
    return one(o, 201, answer, w.specified);
  }
  const id = r.pick(writable);
  const path = withQuery(`/Users/${id}`, o.p);
  o.request = `${how} ${path}`;
  if (how === "PATCH") {
    const w = requestPatchOperations(r, requested.get(id) ?? {});
    const operations = [...userPatchOperations(r), ...w.operations];
    o.request += ` ${JSON.stringify(operations)}`;
    requested.set(id, w.values);
    return one(o, 200, await c.patch(path, patchOp(...operations)), w.specified);
  }
  const current = (await c.get(`/Users/${id}`)).body;
  const w = withRequestAttributes(r, userBody(r, String(current.userName), managers));
  o.request += ` ${JSON.stringify(w.specified)}`;
  requested.set(id, w.values);
  return one(o, 200, await c.put(path, w.body), w.specified);
}

async function writeGroup(r: Rng, o: Round) {
  const how = r.pick(["POST", "PUT", "PATCH"] as const);
  counts.writes++;
  if (how === "POST") {
    const path = withQuery("/Groups", o.p);
    o.request = `POST ${path}`;
    if (r.next() < 0.1) return refused(o, await c.post(path, groupBody(r, spell(r, takenGroupName), users(), groupIds)), 409, "uniqueness");
    const answer = await c.post(path, groupBody(r, `new group ${SEED}.${fresh++}`, users(), groupIds));
    if (answer.status === 201) groupIds.push(String(answer.body.id));
    return one(o, 201, answer);
  }
  const id = r.pick(groupIds);
  const path = withQuery(`/Groups/${id}`, o.p);
  o.request = `${how} ${path}`;
  if (how === "PUT") {
    const current = (await c.get(`/Groups/${id}`)).body;
    return one(o, 200, await c.put(path, { ...groupBody(r, String(current.displayName), users(), groupIds.slice(0, groupIds.indexOf(id))), id }));
  }
  const answer = await c.patch(path, patchOp(...groupPatchOperations(r, users())));
  // entra.md: Group PATCH → 204 is preferred; RFC 7644 §3.5.2: "The server MUST return a 200 OK if the
  // "attributes" parameter is specified in the request" (an empty one specifies nothing).
  if (answer.status === 204 && !o.p.attributes?.length) return;
  return one(o, 200, answer);
}

async function round(r: Rng, i: number, mismatches: Mismatch[]) {
  const type = r.next() < 0.65 ? "Users" : "Groups";
  const other = type === "Users" ? ["members", "members.value", `${PROJ_GROUP}:tier`] : ["userName", "groups", "groups.display", `${ENT}:department`];
  const o: Round = {
    p: randomProjection(r, projectableNames(type === "Users" ? userDefs : groupDefs, other)),
    request: "",
    report: (server, reference) => mismatches.push({ seed: SEED, round: i, request: o.request, server, reference }),
  };
  const kind = r.pick(["read", "read", "page", "search", "search", "write", "write", "write"] as const);
  if (kind === "read") return read(r, o, type);
  if (kind === "page") return page(r, o, type);
  if (kind === "search") return search(r, o, type);
  return type === "Users" ? writeUser(r, o) : writeGroup(r, o);
}

test(`attributes / excludedAttributes agree with the reference everywhere (seed ${SEED}, ${REQUESTS} requests)`, async () => {
  const r = rng(SEED ^ 0x7a11);
  const mismatches: Mismatch[] = [];
  for (let i = 0; i < REQUESTS; i++) await round(r, i, mismatches);
  for (const m of mismatches.slice(0, Number(process.env.FUZZ_SHOW ?? 6))) console.log(JSON.stringify(m));
  if (process.env.FUZZ_SHOW) console.log(JSON.stringify(counts));
  expect(mismatches.length).toBe(0);
  // The rounds must mostly compare resources, and reach writes and refusals, or the agreement says little.
  expect(counts.resources).toBeGreaterThan(REQUESTS);
  expect(counts.writes).toBeGreaterThan(REQUESTS / 5);
  expect(counts.refusals).toBeGreaterThan(0);
}, 60_000);
