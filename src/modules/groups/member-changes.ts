// The net change one PATCH makes to a group's members (RFC 7644 §3.14: the version moves only when the group
// does). Each write reports the members it changed; the first report of an id tells what it was before the
// PATCH, the last what it is now. O(1) a member written, never a read of the whole membership.

/** A member's stored display (null: none, its current name is shown); undefined: not a member. */
type Membership = string | null | undefined;

export class MemberChanges {
  private readonly before = new Map<string, Membership>();
  private readonly now = new Map<string, Membership>();
  private addedUnnamed = false;

  /**
   * `named`: the PATCH has several member operations, which may cancel out, so each write must name the members
   * it changed. One operation writes each member at most once: then any add is a change, named or not.
   */
  constructor(readonly named: boolean) {}

  /** Adds of members left unnamed (see `named`). */
  addedSome(count: number) {
    if (count > 0) this.addedUnnamed = true;
  }

  private note(id: string, was: Membership, is: Membership) {
    if (!this.before.has(id)) this.before.set(id, was);
    this.now.set(id, is);
  }

  added(id: string, display: string | null) {
    this.note(id, undefined, display);
  }

  removed(id: string, display: string | null) {
    this.note(id, display, undefined);
  }

  relabelled(id: string, from: string | null, to: string | null) {
    this.note(id, from, to);
  }

  /** Whether this PATCH wrote this member before (then `current` tells what it is now). */
  knows(id: string): boolean {
    return this.now.has(id);
  }

  /** What a member this PATCH wrote is now (see knows). */
  current(id: string): Membership {
    return this.now.get(id);
  }

  /** Whether any member differs from what it was before the PATCH. */
  any(): boolean {
    if (this.addedUnnamed) return true;
    for (const [id, was] of this.before) if (this.now.get(id) !== was) return true;
    return false;
  }
}
