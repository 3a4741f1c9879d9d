// One page of a group's members for the console, with the member's current name: groups of 100,000 members are
// normal, so the console never reads them all. The tenant id is the first condition of every query.
import type { Database, Statement } from "bun:sqlite";
import { nameKey } from "../../store/name-key";

export interface MemberView {
  value: string;
  type: "User" | "Group";
  display: string | null;
  userName: string | null;
  active: boolean | null;
}

interface MemberRow extends Omit<MemberView, "active"> {
  active: number | null;
}

const FROM = `FROM group_members gm
  LEFT JOIN users u ON gm.member_type = 'User' AND u.tenant_id = gm.tenant_id AND u.id = gm.member_id
  LEFT JOIN groups g ON gm.member_type = 'Group' AND g.tenant_id = gm.tenant_id AND g.id = gm.member_id
  WHERE gm.tenant_id = $tenant AND gm.group_id = $group
    AND ($like IS NULL OR u.user_name_key LIKE $like ESCAPE '\\' OR lower(u.display_name) LIKE $like ESCAPE '\\'
         OR g.display_name_key LIKE $like ESCAPE '\\' OR gm.member_id = $exact)`;

export class MemberPages {
  private readonly pageStmt: Statement;
  private readonly countStmt: Statement;
  private readonly countAllStmt: Statement;

  constructor(db: Database) {
    this.pageStmt = db.query(
      `SELECT gm.member_id AS value, gm.member_type AS type,
         coalesce(u.display_name, g.display_name, gm.display) AS display, u.user_name AS userName, u.active AS active
       ${FROM}
       ORDER BY coalesce(u.user_name_key, g.display_name_key, gm.member_id), gm.member_id
       LIMIT $limit OFFSET $offset`,
    );
    this.countStmt = db.query(`SELECT count(*) AS n ${FROM}`);
    this.countAllStmt = db.query("SELECT count(*) AS n FROM group_members WHERE tenant_id = $tenant AND group_id = $group");
  }

  count(tenant: string, group: string): number {
    return (this.countAllStmt.get({ tenant, group }) as { n: number }).n;
  }

  page(tenant: string, group: string, q: string | undefined, startIndex: number, count: number) {
    const text = q?.trim() ? nameKey(q.trim()) : null;
    const params = { tenant, group, like: text && `%${text.replace(/[\\%_]/g, "\\$&")}%`, exact: text };
    // Without a search the count needs no join (a range of the primary key).
    const total = text ? (this.countStmt.get(params) as { n: number }).n : this.count(tenant, group);
    const rows = count === 0 ? [] : (this.pageStmt.all({ ...params, limit: count, offset: startIndex - 1 }) as MemberRow[]);
    const Resources: MemberView[] = rows.map((r) => ({ ...r, active: r.active === null ? null : r.active === 1 }));
    return { totalResults: total, startIndex, itemsPerPage: Resources.length, Resources };
  }
}
