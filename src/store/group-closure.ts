// The groups a member belongs to directly or through nested groups (RFC 7643 §4.1.2: a User's `groups` lists
// both, typed "direct" or "indirect"). One recursive query climbs group_members from the member upwards.

/**
 * SQL yielding `(group_id, direct)` rows for the member `member` of tenant `tenant` (SQL expressions: parameters
 * or correlated columns): one row per group the member is in at any depth, `direct` 1 when it is also a direct
 * member. UNION, not UNION ALL: groups that contain each other end the climb instead of looping. The climb
 * starts from each group found so far and walks the member index, so it costs O(groups found), whatever the
 * size of those groups. Member ids of groups never equal member ids of users (both are server-made UUIDs),
 * so the climb needs no member_type test and stays inside the index.
 */
export function groupClosureSql(tenant: string, member: string): string {
  return `WITH RECURSIVE up(group_id, direct) AS (
      SELECT group_id, 1 FROM group_members WHERE tenant_id = ${tenant} AND member_id = ${member}
      UNION
      SELECT p.group_id, 0 FROM up CROSS JOIN group_members p ON p.tenant_id = ${tenant} AND p.member_id = up.group_id
    )
    SELECT group_id, max(direct) AS direct FROM up GROUP BY group_id`;
}

/** Whether tenant `?` has any group in a group: one probe of the partial index group_members_nested. */
export const NESTS_GROUPS_SQL = "SELECT 1 AS x FROM group_members WHERE tenant_id = ? AND member_type = 'Group' LIMIT 1";
