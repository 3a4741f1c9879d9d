// The reference's Users and Groups for the Bulk differential test: the few attributes the generator writes
// (bulk-generator.ts), what one POST, PUT, PATCH or DELETE does to them (RFC 7644 §3.3, §3.5.1, §3.5.2, §3.6),
// and each resource as GET shows it, derived attributes included (a User's `groups`, a member's `display`).
// Where the RFC leaves the answer open, scimd's README is followed and the comment says so.
import { ENTERPRISE_URN, MANAGER_PATH } from "./bulk-generator";

type Doc = Record<string, unknown>;
export interface RefUser {
  userName: string;
  displayName?: string;
  title?: string;
  manager?: string;
}
export interface RefGroup {
  displayName: string;
  members: string[];
}
export interface RefState {
  users: Map<string, RefUser>;
  groups: Map<string, RefGroup>;
}
export type Kind = "Users" | "Groups";

/** An operation's error: the HTTP status and RFC 7644 §3.12 scimType it answers with. */
export class OpError {
  constructor(
    readonly status: number,
    readonly scimType: string | undefined,
    readonly why: string,
  ) {}
}
const fail = (status: number, scimType: string | undefined, why: string): never => {
  throw new OpError(status, scimType, why);
};

const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
// README: userName and a group's displayName are unique in any letter case (the generator's names are ASCII).
const taken = (names: Iterable<[string, string]>, name: string, self?: string) => [...names].some(([id, n]) => id !== self && n.toLowerCase() === name.toLowerCase());

export const cloneState = (s: RefState): RefState => ({
  users: new Map([...s.users].map(([id, u]) => [id, { ...u }])),
  groups: new Map([...s.groups].map(([id, g]) => [id, { ...g, members: [...g.members] }])),
});

/**
 * What is wrong with the body alone. A PUT's body is read once its target is found and its version matches
 * (RFC 9110 §13.2.2: preconditions before the content), so a bad body for an unknown id is 404, as for PATCH.
 */
export function checkBody(kind: Kind, data: unknown) {
  if (!isObject(data)) fail(400, "invalidSyntax", "data is not a resource");
  const d = data as Doc;
  // RFC 7643 §4.1.1, §4.2: userName and displayName are REQUIRED; RFC 7644 §3.12 invalidValue: "A required value was missing".
  if (kind === "Users" && str(d.userName) === undefined) fail(400, "invalidValue", "no userName");
  if (kind === "Groups" && str(d.displayName) === undefined) fail(400, "invalidValue", "no displayName");
  // README: a member whose type is neither User nor Group is 400 invalidValue.
  for (const m of (d.members ?? []) as Doc[]) if (m.type !== undefined && m.type !== "User" && m.type !== "Group") fail(400, "invalidValue", "member type");
}

function userFrom(s: RefState, data: unknown, self?: string): RefUser {
  checkBody("Users", data);
  const d = data as Doc;
  const userName = str(d.userName);
  // RFC 7644 §3.3: a duplicate of a unique attribute is 409 uniqueness, for PUT as for POST.
  if (taken([...s.users].map(([id, u]) => [id, u.userName]), userName!, self)) fail(409, "uniqueness", "userName taken");
  const manager = isObject(d[ENTERPRISE_URN]) ? (d[ENTERPRISE_URN] as Doc).manager : undefined;
  return { userName: userName!, displayName: str(d.displayName), title: str(d.title), manager: isObject(manager) ? str(manager.value) : undefined };
}

/** RFC 7643 §4.2: members of the generator's groups are Users; an id the tenant does not hold is left out (README). */
function membersFrom(s: RefState, members: unknown): string[] {
  if (members === undefined) return [];
  const out: string[] = [];
  for (const m of members as Doc[]) {
    const value = String(m.value);
    const type = m.type;
    const kind = s.users.has(value) ? "User" : s.groups.has(value) ? "Group" : undefined;
    if (kind === "Group") throw new Error("the generator names a group as a member outside a circle");
    if (kind && type !== undefined && type !== kind) throw new Error("the generator names a user as a Group member");
    if (kind && !out.includes(value)) out.push(value);
  }
  return out;
}

function groupFrom(s: RefState, data: unknown, self?: string): RefGroup {
  checkBody("Groups", data);
  const d = data as Doc;
  const displayName = str(d.displayName);
  const members = membersFrom(s, d.members);
  if (taken([...s.groups].map(([id, g]) => [id, g.displayName]), displayName!, self)) fail(409, "uniqueness", "displayName taken");
  return { displayName: displayName!, members };
}

export function create(s: RefState, kind: Kind, data: unknown, id: string) {
  if (kind === "Users") s.users.set(id, userFrom(s, data));
  else s.groups.set(id, groupFrom(s, data));
}

export function replace(s: RefState, kind: Kind, id: string, data: unknown) {
  if (kind === "Users") s.users.set(id, userFrom(s, data, id));
  else s.groups.set(id, groupFrom(s, data, id));
}

export function remove(s: RefState, kind: Kind, id: string) {
  if (kind === "Groups") s.groups.delete(id);
  else {
    s.users.delete(id);
    for (const g of s.groups.values()) g.members = g.members.filter((m) => m !== id);
  }
}

/** RFC 7644 §3.5.2: the operations the generator writes, all or nothing. */
export function patch(s: RefState, kind: Kind, id: string, data: unknown) {
  const ops = isObject(data) && Array.isArray(data.Operations) ? (data.Operations as Doc[]) : fail(400, "invalidSyntax", "no Operations");
  if (ops.some((op) => !["add", "replace", "remove"].includes(String(op.op).toLowerCase()))) fail(400, "invalidSyntax", "unknown op");
  if (kind === "Users") {
    const u = { ...s.users.get(id)! };
    for (const op of ops) {
      const value = op.op === "remove" ? undefined : op.value;
      if (op.path === "displayName") u.displayName = str(value);
      else if (op.path === "title") u.title = str(value);
      else if (op.path === "userName") u.userName = String(value);
      else if (op.path === MANAGER_PATH) u.manager = str((value as Doc).value);
    }
    if (taken([...s.users].map(([uid, x]) => [uid, x.userName]), u.userName, id)) fail(409, "uniqueness", "userName taken");
    s.users.set(id, u);
    return;
  }
  const g = { ...s.groups.get(id)!, members: [...s.groups.get(id)!.members] };
  for (const op of ops) {
    const path = String(op.path);
    if (path === "displayName") g.displayName = String(op.value);
    else if (path === "members" && op.op === "replace") g.members = [];
    else if (path === "members") {
      for (const m of membersFrom(s, op.value)) if (!g.members.includes(m)) g.members.push(m);
    } else {
      // RFC 7644 §3.5.2.2: "the values matched by the filter are removed"; none matched removes none.
      const value = /^members\[value eq "(.*)"\]$/.exec(path)![1];
      g.members = g.members.filter((m) => m !== value);
    }
  }
  if (taken([...s.groups].map(([gid, x]) => [gid, x.displayName]), g.displayName, id)) fail(409, "uniqueness", "displayName taken");
  s.groups.set(id, g);
}

const byValue = (a: Doc, b: Doc) => String(a.value).localeCompare(String(b.value));
const defined = (d: Doc): Doc => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
/** README: a member's display is the User's displayName, else its userName. */
const labelOf = (u: RefUser) => u.displayName ?? u.userName;

/** Each resource as GET shows it, meta aside; these change exactly when the resource's version must. */
export function views(s: RefState): Map<string, Doc> {
  const out = new Map<string, Doc>();
  for (const [id, u] of s.users) {
    const groups = [...s.groups].filter(([, g]) => g.members.includes(id)).map(([gid, g]) => ({ value: gid, display: g.displayName }));
    out.set(`Users/${id}`, defined({ userName: u.userName, displayName: u.displayName, title: u.title, manager: u.manager, groups: groups.sort(byValue) }));
  }
  for (const [id, g] of s.groups) {
    const members = g.members.map((m) => ({ value: m, display: labelOf(s.users.get(m)!) }));
    out.set(`Groups/${id}`, { displayName: g.displayName, members: members.sort(byValue) });
  }
  return out;
}

/** The same view of a resource the server returned. */
export function serverView(kind: Kind, body: Doc): Doc {
  const pairs = (list: unknown) => ((list ?? []) as Doc[]).map((m) => ({ value: m.value, display: m.display })).sort(byValue);
  if (kind === "Groups") return { displayName: body.displayName, members: pairs(body.members) };
  const manager = isObject(body[ENTERPRISE_URN]) ? (body[ENTERPRISE_URN] as Doc).manager : undefined;
  return defined({ userName: body.userName, displayName: body.displayName, title: body.title, manager: isObject(manager) ? manager.value : undefined, groups: pairs(body.groups) });
}
