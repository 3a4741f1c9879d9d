// PATCH removes through a members value filter other than `value eq` (RFC 7644 §3.5.2.2: "the values matched by the
// filter are removed"). The filter is matched against the member rows, as GET shows them (display: the label, else
// the member's current name); a filter matching nobody removes nobody, as for other multi-valued attributes.
import { badRequest } from "../../errors";
import type { FilterNode } from "../../scim/filter/ast";
import { type Comparisons, comparisonsIn, matchingMembers, spend } from "../../scim/patch";
import type { GroupStore, MemberRow } from "../../store/groups";
import type { MemberChanges } from "./member-changes";

/**
 * Member rows one PATCH may read for its filtered removes. Each read row costs about 5 µs (its name is joined in),
 * far more than a comparison, so the rows have an allowance of their own: a group of 200,000 members can still be
 * filtered, and a PATCH alternating adds with filtered removes cannot hold the write lock for seconds.
 */
export const MAX_MEMBER_ROWS_READ = 200_000;

/** The filtered removes of one PATCH, in its transaction. Consecutive ones read the membership once. */
export class FilteredRemoves {
  private shown: MemberRow[] | undefined;
  private rowsRead = 0;
  private readonly comparisons: Comparisons = { made: 0 };

  constructor(
    private readonly store: GroupStore,
    private readonly tenant: string,
    private readonly group: string,
    private readonly changes: MemberChanges,
  ) {}

  /** Another member operation ran: the rows read so far may be stale. */
  forget() {
    this.shown = undefined;
  }

  /** Removes the members `filter` matches. */
  remove(filter: FilterNode) {
    const shown = this.shown ?? this.read();
    const allowed = spend(this.comparisons, shown, comparisonsIn(filter));
    if (!allowed.ok) throw allowed.error;
    const gone = new Set(matchingMembers(filter, shown));
    for (const id of gone) {
      const removed = this.store.removeMember(this.tenant, this.group, id);
      if (removed) this.changes.removed(id, removed.display);
    }
    this.shown = shown.filter((m) => !gone.has(m.value));
  }

  private read(): MemberRow[] {
    const rows = this.store.members(this.tenant, this.group);
    this.rowsRead += rows.length;
    if (this.rowsRead > MAX_MEMBER_ROWS_READ) {
      // RFC 7644 §3.12 tooMany: more than the server "is willing to calculate or process".
      const detail = `This PATCH's members filters read more than ${MAX_MEMBER_ROWS_READ} members; send it in smaller requests.`;
      throw badRequest("tooMany", detail);
    }
    return rows;
  }
}
