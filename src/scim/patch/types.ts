import type { FilterNode } from "../filter/ast.ts";
import type { ScimResource } from "../schema/types.ts";

export type PatchOpName = "add" | "replace" | "remove";

/** One validated entry of a PatchOp request's `Operations` (RFC 7644 §3.5.2). */
export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

export interface MemberRef {
  value: string;
  type?: "User" | "Group";
  /** RFC 7643 §4.2: `display` is immutable, so a client's label is kept as sent (unless it is the member's name: groups/members.ts). */
  display?: string;
}

/**
 * A change to a group's membership. Members live in their own table, so the caller applies these
 * in request order, each in O(k) for its k ids; removeMatching (a value filter other than `value eq`, §3.5.2.2)
 * reads the group's members to match them (matchingMembers).
 */
export type MemberOp =
  | { kind: "add"; members: MemberRef[] }
  | { kind: "remove"; ids: string[] }
  | { kind: "removeMatching"; filter: FilterNode }
  | { kind: "removeAll" }
  | { kind: "replace"; members: MemberRef[] };

export interface PatchResult {
  resource: ScimResource;
  members: MemberOp[];
  /** False when the resource is unchanged and no member operation was produced: nothing to write. */
  changed: boolean;
  /**
   * Core attributes (canonical names) some operation addressed, whatever it did to them: a caller that keeps an
   * attribute outside the resource (a User's password, as a hash) learns from it that a remove or null named it.
   */
  named: ReadonlySet<string>;
}
