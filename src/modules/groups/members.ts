// Applies PATCH member operations in request order; each costs O(k) in the k ids it names.
import { badRequest } from "../../errors";
import type { MemberOp, MemberRef } from "../../scim/patch";
import type { GroupStore } from "../../store/groups";

/**
 * Ids that name no User or Group of this tenant are skipped, like adding an existing member: Entra and
 * Microsoft's validator expect 204 either way, and storing a dangling reference would help nobody.
 */
function addAll(store: GroupStore, tenant: string, group: string, members: MemberRef[]): number {
  let changed = 0;
  for (const member of members) {
    if (member.value === group) throw badRequest("invalidValue", "a group cannot be a member of itself");
    // Nearly every member Entra adds is a User: try that first, in one statement.
    if (member.type !== "Group" && store.addUserMember(tenant, group, member.value, member.display ?? null) > 0) {
      changed++;
      continue;
    }
    const type = store.memberType(tenant, member.value);
    if (!type) continue;
    if (member.type && member.type !== type) {
      throw badRequest("invalidValue", `member ${member.value} is a ${type}, not a ${member.type}`);
    }
    changed += store.addMember(tenant, group, member.value, type, member.display ?? null);
  }
  return changed;
}

/** Returns whether any membership changed. Runs inside the caller's transaction. */
export function applyMemberOps(store: GroupStore, tenant: string, group: string, ops: MemberOp[]): boolean {
  let changed = 0;
  for (const op of ops) {
    switch (op.kind) {
      case "add":
        changed += addAll(store, tenant, group, op.members);
        break;
      case "remove":
        for (const id of op.ids) changed += store.removeMember(tenant, group, id);
        break;
      case "removeAll":
        changed += store.removeAllMembers(tenant, group);
        break;
      case "replace":
        changed += store.removeAllMembers(tenant, group);
        changed += addAll(store, tenant, group, op.members);
        break;
    }
  }
  return changed > 0;
}

/** `members` of a POST/PUT body, as stored: value and type only (display is derived on read). */
export function membersOf(resource: Record<string, unknown>): MemberRef[] {
  const members = resource.members;
  if (!Array.isArray(members)) return [];
  return members.map((m) => {
    const ref = m as { value?: unknown; type?: unknown; display?: unknown };
    if (typeof ref.value !== "string" || ref.value === "") throw badRequest("invalidValue", "each member needs a value (the member's id)");
    const type = ref.type === "User" || ref.type === "Group" ? ref.type : undefined;
    return { value: ref.value, type, display: typeof ref.display === "string" ? ref.display : undefined };
  });
}
