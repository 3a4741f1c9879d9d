// A deleted user or group leaves every group it was a direct member of; each of those groups has one member
// fewer, so it gets a new version (RFC 7644 §3.14), or If-None-Match would answer 304 with a stale member list.
import type { Database } from "bun:sqlite";

export function leaveAllGroups(db: Database, tenant: string, memberId: string, now: string): void {
  db.query(
    `UPDATE groups SET version = version + 1, last_modified = $now
     WHERE tenant_id = $tenant AND id IN (SELECT group_id FROM group_members WHERE tenant_id = $tenant AND member_id = $id)`,
  ).run({ tenant, id: memberId, now });
  db.query("DELETE FROM group_members WHERE tenant_id = $tenant AND member_id = $id").run({ tenant, id: memberId });
}
