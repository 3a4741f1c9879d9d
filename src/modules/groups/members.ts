// Applies PATCH member operations in request order; each costs O(k) in the k ids it names, except a remove through
// a general value filter, which reads the whole membership.
import { badRequest } from "../../errors";
import { type MemberOp, type MemberRef, readMembers } from "../../scim/patch";
import { isPlainObject } from "../../scim/schema/coerce";
import type { SchemaRegistry } from "../../scim/schema/registry";
import { type GroupStore, USER_MEMBER_BATCH } from "../../store/groups";
import { FilteredRemoves } from "./filtered-removes";
import { MemberChanges } from "./member-changes";

/**
 * Ids that name no User or Group of this tenant are skipped, like adding an existing member: Entra and
 * Microsoft's validator expect 204 either way, and storing a dangling reference would help nobody.
 */
function addAll(store: GroupStore, tenant: string, group: string, members: MemberRef[], changes: MemberChanges) {
  if (members.some((m) => m.value === group)) throw badRequest("invalidValue", "a group cannot be a member of itself");
  // Nearly every member a client adds is a User (Entra sends no display, Okta one): those go in chunks, one
  // statement each, the first mention of an id counting as one-by-one adds would have it. A chunk that adds
  // fewer than it names holds users that were members already (Entra re-adds a whole group when a job
  // restarts), or ids that are groups, unknown or another tenant's: one more statement tells the first kind,
  // which is then settled; the others are gone through one by one, for the answers they need.
  const firsts = new Map<string, string | null>();
  if (members.length >= MIN_BATCH) for (const m of members) if (batchable(m) && !firsts.has(m.value)) firsts.set(m.value, m.display ?? null);
  const ids = [...firsts.keys()];
  const unsettled = new Set<string>();
  for (let i = 0; i < ids.length; i += USER_MEMBER_BATCH) {
    const chunk = ids.slice(i, i + USER_MEMBER_BATCH);
    const displays = chunk.map((id) => firsts.get(id) ?? null);
    const labelled = displays.some((d) => d !== null);
    if (!changes.named && !labelled) {
      const count = store.countAddedUserMembers(tenant, group, chunk);
      changes.addedSome(count);
      if (count === chunk.length) continue;
    } else {
      const added = store.addUserMembers(tenant, group, chunk, labelled ? displays : undefined);
      for (const id of added) changes.added(id, firsts.get(id) ?? null);
      if (added.length === chunk.length) continue;
    }
    const present = store.userMembersAmong(tenant, group, chunk);
    for (const id of chunk) if (!present.has(id)) unsettled.add(id);
  }
  const settled = (m: MemberRef) => ids.length > 0 && batchable(m) && !unsettled.has(m.value);
  for (const member of members) if (!settled(member) && addOne(store, tenant, group, member)) changes.added(member.value, member.display ?? null);
}

const batchable = (m: MemberRef) => m.type !== "Group";

/** Below this many members, one statement per member costs less than binding a whole chunk. */
const MIN_BATCH = 8;

/** Returns whether the member was added. */
function addOne(store: GroupStore, tenant: string, group: string, member: MemberRef): boolean {
  if (member.type !== "Group" && store.addUserMember(tenant, group, member.value, member.display ?? null)) return true;
  const type = store.memberType(tenant, member.value);
  if (!type) return false;
  if (member.type && member.type !== type) {
    throw badRequest("invalidValue", `member ${member.value} is a ${type}, not a ${member.type}`);
  }
  return store.addMember(tenant, group, member.value, type, member.display ?? null);
}

/**
 * Makes the members exactly `members`, each with the display given at its first mention (none: no label). Only
 * what differs is written and noted, so replacing the members with the list they are is no change (RFC 7644
 * §3.14: the version stays).
 */
function replaceAll(store: GroupStore, tenant: string, group: string, members: MemberRef[], changes: MemberChanges) {
  const labels = new Map<string, string | null>();
  for (const m of members) if (!labels.has(m.value)) labels.set(m.value, m.display ?? null);
  for (const gone of store.removeMembersExcept(tenant, group, [...labels.keys()])) changes.removed(gone.id, gone.display);
  addAll(store, tenant, group, members, changes);
  // The members this PATCH has not written yet keep the display they had before it: read theirs (O(k) in the list).
  const unwritten = [...labels.keys()].filter((id) => !changes.knows(id));
  const stored = unwritten.length ? store.displaysAmong(tenant, group, unwritten) : new Map<string, string | null>();
  const relabels: [string, string | null][] = [];
  for (const [id, label] of labels) {
    const was = changes.knows(id) ? changes.current(id) : stored.get(id);
    if (was === undefined || was === label) continue;
    changes.relabelled(id, was, label);
    relabels.push([id, label]);
  }
  if (relabels.length) store.relabel(tenant, group, relabels);
}

/**
 * A display that is the member's current name is no label: a client that GETs a group (each member shown by its
 * name) and PUTs it back, or Okta, which sends each member's name, would otherwise freeze those names, and a
 * renamed user would go on showing its old name in the group.
 */
function unlabelCurrentNames(store: GroupStore, tenant: string, members: MemberRef[]): MemberRef[] {
  const labelled = members.filter((m) => m.display != null).map((m) => m.value);
  if (labelled.length === 0) return members;
  const names = store.shownNames(tenant, labelled);
  return members.map(({ display, ...member }) => (display != null && names.get(member.value) !== display ? { ...member, display } : member));
}

/**
 * Returns whether the members differ from what they were before `ops` (RFC 7644 §3.14): operations that cancel
 * out, such as an add and a remove of the same member, are no change. Runs inside the caller's transaction.
 */
export function applyMemberOps(store: GroupStore, tenant: string, group: string, ops: MemberOp[]): boolean {
  const changes = new MemberChanges(ops.length > 1);
  const filtered = new FilteredRemoves(store, tenant, group, changes);
  for (const op of ops) {
    if (op.kind !== "removeMatching") filtered.forget();
    switch (op.kind) {
      case "add":
        addAll(store, tenant, group, unlabelCurrentNames(store, tenant, op.members), changes);
        break;
      case "remove":
        for (const id of op.ids) removeOne(store, tenant, group, id, changes);
        break;
      case "removeMatching":
        filtered.remove(op.filter);
        break;
      case "removeAll":
        for (const gone of store.removeAllMembers(tenant, group)) changes.removed(gone.id, gone.display);
        break;
      case "replace":
        replaceAll(store, tenant, group, unlabelCurrentNames(store, tenant, op.members), changes);
        break;
    }
  }
  return changes.any();
}

function removeOne(store: GroupStore, tenant: string, group: string, id: string, changes: MemberChanges) {
  const gone = store.removeMember(tenant, group, id);
  if (gone) changes.removed(id, gone.display);
}

/**
 * The members a POST/PUT body gives, each element read as a PATCH add's value is (readMembers): an element PATCH
 * refuses (no string `value`, a `type` naming neither kind, `null`) gets the same 400 invalidValue, and a label
 * sent as Microsoft's `displayName` is kept as PATCH keeps it. Read from the body as sent, before normalizeResource,
 * which drops a bad element and any key the schema lacks (`displayName`) without a word, so the detail is PATCH's.
 * `members` given under several names: the last one counts, as in normalizeResource.
 */
export function membersSent(registry: SchemaRegistry, body: unknown): MemberRef[] {
  let members: MemberRef[] = [];
  for (const sent of valuesOfMembers(registry, body)) {
    const read = readMembers(sent);
    if (!read.ok) throw read.error;
    members = read.value;
  }
  return members;
}

/** The values a body gives `members`, under each name normalizeResource reads: any case, URN-qualified, or in the core URN's object. */
function valuesOfMembers(registry: SchemaRegistry, body: unknown): unknown[] {
  if (!isPlainObject(body)) return [];
  const isMembers = (key: string) => {
    const found = registry.findAttribute("Group", key);
    return found !== undefined && !found.extension && !found.subAttribute && found.attribute.name === "members";
  };
  const sent: unknown[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (isMembers(key)) sent.push(value);
    const whole = registry.splitUrn("Group", key);
    if (whole?.rest !== "" || !isPlainObject(value)) continue;
    for (const [inner, innerValue] of Object.entries(value)) if (isMembers(`${whole.schema.id}:${inner}`)) sent.push(innerValue);
  }
  return sent;
}
