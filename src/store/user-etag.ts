// A User's `groups` (RFC 7643 §4.1.2) is derived from memberships, which change without a write to the user's
// row: a group adds or removes it, is renamed, deleted, or nested in another. Its ETag (RFC 7644 §3.14) is the
// row's version plus a hash of the groups as returned, so If-None-Match and If-Match see those changes too.
// Bumping the row instead would cost each member add a user UPDATE (measured: +3.5 µs a member, about half
// again) and a group rename or nesting one UPDATE per member below it.
import type { GroupOfUser } from "./users";
import { etagOf } from "./resource-meta";

/** `W/"<version>"` for a user in no group, as before groups counted; `W/"<version>-<hash>"` otherwise. */
export function userEtag(version: number, groups: GroupOfUser[]): string {
  if (!groups.length) return etagOf(version);
  return `W/"${version}-${Bun.hash(JSON.stringify(groups)).toString(36)}"`;
}
