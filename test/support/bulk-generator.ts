// Seeded BulkRequests (RFC 7644 §3.7) over a tenant's Users and Groups: POST/PUT/PATCH/DELETE with bulkIds and
// `bulkId:…` references in paths, member values, manager.value and title, forward and backward, chains and
// circles, references to POSTs that fail, unknown bulkIds; versions (current, stale, empty); failOnErrors (null too);
// now and then one operation aimed at the wrong place, or one fault that spoils the whole request.
import type { Rng } from "./patch-generator";

type Doc = Record<string, unknown>;
export const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const BULK_URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
export const PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const MANAGER_PATH = `${ENTERPRISE_URN}:manager`;

/** What the tenant holds before the request: ids with their names and current versions. */
export interface World {
  users: { id: string; version: string }[];
  groups: { id: string; version: string }[];
  /** Another tenant's base path and one of its users' ids: never reachable from this tenant. */
  stranger: { base: string; userId: string };
}

// Few names, so that POSTs, PUTs and PATCHes collide (uniqueness is case-insensitive).
const USER_NAMES = ["ada", "bo", "cy", "dee", "eli", "fay", "gus", "hal", "ivy", "jo", "kim", "lu"];
const GROUP_NAMES = ["Eng", "Ops", "Sales", "Legal", "HR", "Design"];
const WORDS = ["Ada L", "Bo", "Straße", "Zoë", "Tour Guide", "x"];

interface Plan {
  kind: "user" | "group" | "put-user" | "put-group" | "patch-user" | "patch-group" | "delete-user" | "delete-group";
  bulkId?: string;
}

const spellCase = (r: Rng, name: string) => (r.next() < 0.2 ? name.toUpperCase() : name);

export function randomBulkRequest(r: Rng, world: World): Doc {
  const n = 1 + r.int(9);
  const plans: Plan[] = Array.from({ length: n }, (_, i) => {
    const kind = r.pick(["user", "user", "user", "group", "group", "put-user", "put-group", "patch-user", "patch-group", "patch-group", "delete-user", "delete-group"] as const);
    return { kind, bulkId: kind === "user" || kind === "group" || r.next() < 0.1 ? `b${i}` : undefined };
  });
  const userPosts = plans.filter((p) => p.kind === "user").map((p) => p.bulkId!);
  const groupPosts = plans.filter((p) => p.kind === "group").map((p) => p.bulkId!);
  const otherIds = plans.filter((p) => p.kind !== "user" && p.kind !== "group" && p.bulkId).map((p) => p.bulkId!);
  const anyId = <T extends { id: string }>(list: T[]) => (list.length ? r.pick(list).id : "no-such-id");
  // A reference to a user: a POST of this request (before or after, or this very one), an unknown bulkId, an id.
  // A group's members name users only: groups in groups are outside this test (but for circles, which fail).
  const userRef = (orGroup = true) => {
    const roll = r.next();
    if (roll < 0.45 && userPosts.length) return `bulkId:${r.pick(userPosts)}`;
    if (roll < 0.52) return `bulkId:nope${r.int(3)}`;
    if (roll < 0.55 && orGroup && groupPosts.length) return `bulkId:${r.pick(groupPosts)}`;
    // A bulkId on a PUT, PATCH or DELETE creates nothing: naming it is no reference (RFC 7644 §3.7.2).
    if (roll < 0.58 && otherIds.length) return `bulkId:${r.pick(otherIds)}`;
    return anyId(world.users);
  };
  const target = (type: "Users" | "Groups") => {
    const posts = type === "Users" ? userPosts : groupPosts;
    const existing = type === "Users" ? world.users : world.groups;
    const roll = r.next();
    if (roll < 0.25 && posts.length) return { path: `/${type}/bulkId:${r.pick(posts)}` };
    if (roll < 0.3) return { path: `/${type}/${anyId(type === "Users" ? world.groups : world.users)}` };
    if (roll < 0.34) return { path: `/${type}/no-such-id` };
    const item = existing.length ? r.pick(existing) : undefined;
    return { path: `/${type}/${item?.id ?? "no-such-id"}`, version: item?.version };
  };
  const withVersion = (op: Doc, current?: string) => {
    const roll = r.next();
    if (roll < 0.15 && current) return { ...op, version: current };
    if (roll < 0.2) return { ...op, version: 'W/"999"' };
    if (roll < 0.24) return { ...op, version: "" };
    if (roll < 0.27) return { ...op, version: "*" };
    return op;
  };
  const userData = (): Doc => {
    const data: Doc = { schemas: [USER_URN, ENTERPRISE_URN] };
    if (r.next() > 0.08) data.userName = r.next() < 0.5 ? `user-${r.int(100_000)}` : spellCase(r, r.pick(USER_NAMES));
    if (r.next() < 0.5) data.displayName = r.pick(WORDS);
    if (r.next() < 0.3) data.title = r.next() < 0.4 ? userRef() : r.pick(WORDS);
    if (r.next() < 0.4) data[ENTERPRISE_URN] = { manager: { value: userRef() } };
    return data;
  };
  const member = (): Doc => {
    const roll = r.next();
    // Not `type: "Group"` for a user (400): scimd checks it before the name's uniqueness on PUT and PATCH but after
    // it on POST, and the RFC orders neither; bulk.test.ts covers the 400.
    const type = roll < 0.3 ? "User" : roll < 0.33 ? "Person" : undefined;
    return type ? { value: userRef(false), type } : { value: userRef(false) };
  };
  const groupData = (): Doc => {
    const data: Doc = { schemas: [GROUP_URN] };
    if (r.next() > 0.08) data.displayName = r.next() < 0.5 ? `group-${r.int(100_000)}` : spellCase(r, r.pick(GROUP_NAMES));
    const members = Array.from({ length: r.int(4) }, member);
    if (members.length || r.next() < 0.3) data.members = members;
    return data;
  };
  const userPatch = (): Doc[] =>
    Array.from({ length: 1 + r.int(2) }, () => {
      const roll = r.next();
      if (roll < 0.25) return { op: "replace", path: "displayName", value: r.pick(WORDS) };
      if (roll < 0.45) return { op: "replace", path: "title", value: r.next() < 0.4 ? userRef() : r.pick(WORDS) };
      if (roll < 0.55) return { op: "remove", path: "title" };
      if (roll < 0.7) return { op: "replace", path: "userName", value: spellCase(r, r.pick(USER_NAMES)) };
      if (roll < 0.95) return { op: "replace", path: MANAGER_PATH, value: { value: userRef() } };
      return { op: "frobnicate", path: "title", value: "x" };
    });
  const memberOp = (): Doc | undefined => {
    const roll = r.next();
    return roll < 0.4
      ? { op: "add", path: "members", value: Array.from({ length: 1 + r.int(2) }, () => ({ value: userRef(false) })) }
      : roll < 0.65
        ? { op: "remove", path: `members[value eq "${userRef()}"]` }
        : roll < 0.75
          ? { op: "replace", path: "members", value: [] }
          : roll < 0.8
            ? { op: "frobnicate", path: "members" }
            : undefined;
  };
  // Up to three member operations a PATCH, at times an add and the remove of the same member: operations that
  // cancel out must leave the group's version (and its members' ETags) where they were.
  const memberOps = (): Doc[] => {
    if (r.next() < 0.25) {
      const id = userRef(false);
      const pair = [
        { op: "add", path: "members", value: [{ value: id }] },
        { op: "remove", path: `members[value eq "${id}"]` },
      ];
      return r.next() < 0.5 ? pair : pair.reverse();
    }
    return Array.from({ length: 1 + r.int(3) }, memberOp).filter((op) => op !== undefined);
  };
  const groupPatch = (): Doc[] => {
    const members = memberOps();
    const rename = members.length === 0 || r.next() < 0.3 ? { op: "replace", path: "displayName", value: spellCase(r, r.pick(GROUP_NAMES)) } : undefined;
    const ops = [...members];
    if (rename) ops.splice(r.int(ops.length + 1), 0, rename);
    return ops;
  };

  const operations: Doc[] = plans.map((p) => {
    const bulkId = p.bulkId ? { bulkId: p.bulkId } : {};
    switch (p.kind) {
      case "user":
        return { method: "POST", path: "/Users", ...bulkId, data: userData() };
      case "group":
        return { method: "POST", path: "/Groups", ...bulkId, data: groupData() };
      case "put-user":
      case "patch-user":
      case "delete-user":
      case "put-group":
      case "patch-group":
      case "delete-group": {
        const type = p.kind.endsWith("user") ? "Users" : "Groups";
        const { path, version } = target(type);
        const method = p.kind.startsWith("put") ? "PUT" : p.kind.startsWith("patch") ? "PATCH" : "DELETE";
        const data =
          method === "PUT" ? (type === "Users" ? userData() : groupData()) : method === "PATCH" ? { schemas: [PATCH_URN], Operations: type === "Users" ? userPatch() : groupPatch() } : undefined;
        return withVersion({ method, path, ...bulkId, ...(data ? { data } : {}) }, version);
      }
    }
  });
  if (r.next() < 0.08) circle(r, operations);
  if (r.next() < 0.08) chain(r, operations);
  if (r.next() < 0.25) misdirect(r, operations, world);
  // Now and then no operation at all: nothing to do is a job done (200, no Operations).
  const request: Doc = { schemas: [BULK_URN], Operations: r.next() < 0.02 ? [] : operations };
  const roll = r.next();
  if (roll < 0.15) request.failOnErrors = 1;
  else if (roll < 0.3) request.failOnErrors = 2 + r.int(2);
  else if (roll < 0.35) request.failOnErrors = r.pick([0, -1, 1.5, "2", true]);
  else if (roll < 0.4) request.failOnErrors = null;
  // One fault at a time: a request that is wrong twice over has no one right answer.
  const validFailOnErrors = request.failOnErrors == null || (Number.isInteger(request.failOnErrors) && Number(request.failOnErrors) > 0);
  if (r.next() < 0.1) respell(request);
  if (validFailOnErrors && r.next() < 0.1) spoil(r, request);
  return request;
}

/** Two (or one) POSTs that need each other's id: RFC 7644 §3.7.1. */
function circle(r: Rng, operations: Doc[]) {
  const at = operations.length;
  if (r.next() < 0.3) {
    operations.push({ method: "POST", path: "/Users", bulkId: "c0", data: { userName: `self${at}`, [ENTERPRISE_URN]: { manager: { value: "bulkId:c0" } } } });
    return;
  }
  const groups = r.next() < 0.5;
  const make = (me: string, other: string): Doc =>
    groups
      ? { method: "POST", path: "/Groups", bulkId: me, data: { displayName: `circle-${me}`, members: [{ value: `bulkId:${other}` }] } }
      : { method: "POST", path: "/Users", bulkId: me, data: { userName: `circle-${me}`, [ENTERPRISE_URN]: { manager: { value: `bulkId:${other}` } } } };
  operations.splice(r.int(at + 1), 0, make("c1", "c2"));
  operations.splice(r.int(operations.length + 1), 0, make("c2", "c1"));
}

/** Users each managed by the next (forward references) or by the one before (backward), in request order. */
function chain(r: Rng, operations: Doc[]) {
  const length = 2 + r.int(5);
  const forward = r.next() < 0.5;
  const at = r.int(operations.length + 1);
  const links = Array.from({ length }, (_, k) => {
    const manager = forward ? (k < length - 1 ? `bulkId:k${k + 1}` : undefined) : k > 0 ? `bulkId:k${k - 1}` : undefined;
    const data: Doc = { userName: r.next() < 0.1 ? "ada" : `chain-${r.int(100_000)}` };
    if (manager) data[ENTERPRISE_URN] = { manager: { value: manager } };
    return { method: "POST", path: "/Users", bulkId: `k${k}`, data };
  });
  operations.splice(at, 0, ...links);
}

/** One operation sent where it has no business: wrong method for the path, another endpoint, another tenant. */
function misdirect(r: Rng, operations: Doc[], world: World) {
  const i = r.int(operations.length);
  const op = operations[i];
  const someUser = world.users.length ? world.users[0].id : "no-such-id";
  const roll = r.next();
  // Keeps the POST's bulkId, so that what references it needs a POST that failed.
  if (roll < 0.15) operations[i] = { ...op, method: "POST", bulkId: op.bulkId ?? `m${i}`, path: `/Users/${someUser}`, data: { userName: "misdirected" } };
  else if (roll < 0.3) operations[i] = { method: r.pick(["PATCH", "PUT", "DELETE"]), path: r.pick(["/Users", "/Groups"]), data: { schemas: [PATCH_URN], Operations: [] } };
  else if (roll < 0.45) operations[i] = { ...op, path: r.pick(["/Schemas", "/Bulk", "/ServiceProviderConfig", "/ResourceTypes/User"]) };
  else if (roll < 0.6) operations[i] = { method: "DELETE", path: `${world.stranger.base}/Users/${world.stranger.userId}` };
  else if (roll < 0.75) operations[i] = { method: r.pick(["DELETE", "PUT"]), path: `/Users/${world.stranger.userId}`, data: { userName: "stranger" } };
  else if (roll < 0.85) operations[i] = { ...op, path: `${String(op.path)}?attributes=id` };
  else operations[i] = { ...op, data: r.pick(["text", [], 7]) , ...(op.method === "DELETE" ? { method: "PUT" } : {}) };
}

/** RFC 7643 §2.1: attribute names are case-insensitive, the BulkRequest's own included. */
function respell(request: Doc) {
  request.operations = request.Operations;
  delete request.Operations;
  if ("failOnErrors" in request) {
    request.FAILONERRORS = request.failOnErrors;
    delete request.failOnErrors;
  }
}

/** One fault that makes the whole request unusable. */
function spoil(r: Rng, request: Doc) {
  const key = "Operations" in request ? "Operations" : "operations";
  const ops = request[key] as Doc[];
  const i = r.int(ops.length);
  switch (r.int(11)) {
    case 0: {
      const needing = ops.findIndex((o) => o.method !== "DELETE");
      if (needing >= 0) ops[needing] = Object.fromEntries(Object.entries(ops[needing]).filter(([k]) => k !== "data"));
      break;
    }
    case 1:
      ops.push({ method: "POST", path: "/Users", bulkId: ops.find((o) => o.bulkId)?.bulkId ?? "dup", data: { userName: "dup" } }, { method: "POST", path: "/Users", bulkId: "dup", data: { userName: "dup2" } });
      break;
    case 2:
      ops.push({ method: "POST", path: "/Users", data: { userName: "no-bulk-id" } });
      break;
    case 3:
      ops[i] = { ...ops[i], method: r.pick(["GET", "FETCH", "", 5]) };
      break;
    case 4:
      ops[i] = r.pick(["POST /Users", 3, null, []]) as unknown as Doc;
      break;
    case 5:
      ops[i] = { ...ops[i], path: r.pick(["Users", "", 4]) };
      break;
    case 6:
      ops[i] = { ...ops[i], version: r.pick([7, true, { etag: 'W/"1"' }]) };
      break;
    case 7:
      ops.push({ method: "POST", path: "/Users", bulkId: r.pick(["a b", "a/b", 'a"b', ""]), data: { userName: "bad-bulk-id" } });
      break;
    case 8:
      request.schemas = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"];
      break;
    case 9:
      request[key] = Array.from({ length: 1001 }, (_, k) => ({ method: "DELETE", path: `/Users/none-${k}` }));
      break;
    default:
      ops.push({ method: "POST", path: "/Users", bulkId: "huge", data: { userName: "huge", title: "é".repeat(530_000) } });
  }
}
