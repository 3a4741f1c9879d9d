import { describe, expect, test } from "bun:test";
import { sortToSql } from "../../../src/scim/filter/to-sql.ts";
import { ACME, createFixtureDb, createFixtureRegistry } from "./fixture-db.ts";

const db = createFixtureDb();
const registry = createFixtureRegistry();

/** Orders tenant t1 the way the list endpoint does: missing values last when ascending, first when descending. */
function order(resourceType: "User" | "Group", sortBy: string, descending = false): string[] {
  const expr = sortToSql({ registry, resourceType, alias: "r" }, sortBy);
  if (!expr.ok) throw new Error(expr.error.detail);
  const dir = descending ? "DESC" : "ASC";
  const table = resourceType === "User" ? "users" : "groups";
  const rows = db
    .query(`SELECT r.id FROM ${table} r WHERE r.tenant_id = 't1' ORDER BY (${expr.value}) IS NULL ${dir}, ${expr.value} ${dir}, r.pk ${dir}`)
    .all() as { id: string }[];
  return rows.map((r) => r.id);
}

// [resource type, sortBy, ascending ids, source]
const cases: ["User" | "Group", string, string[], string][] = [
  ["User", "userName", ["u4", "u1", "u2", "u3"], "RFC 7644 §3.4.2.3 singular attribute, case-insensitive"],
  ["User", "name.givenName", ["u4", "u1", "u2", "u3"], "caseExact=false: 'alice' sorts before 'Barbara'"],
  ["User", "name.familyName", ["u3", "u1", "u2", "u4"], "sub-attribute; missing last"],
  ["User", "emails", ["u2", "u4", "u1", "u3"], "multi-valued: the primary value, not the first"],
  ["User", "emails.type", ["u4", "u1", "u2", "u3"], "multi-valued sub-attribute of the primary element"],
  ["User", "meta.created", ["u1", "u2", "u3", "u4"], "dateTime column"],
  ["User", "META.CREATED", ["u1", "u2", "u3", "u4"], "names in any case"],
  ["User", "groups.value", ["u1", "u2", "u3", "u4"], "groups from group_members"],
  ["Group", "displayName", ["g1", "g3", "g2"], "group displayName"],
  ["User", "meta.resourceType", ["u1", "u2", "u3", "u4"], "one value for every User: creation order"],
  ["User", `${ACME}:hireDate`, ["u1", "u2", "u3", "u4"], "RFC 7643 §2.3.5 by instant, not text; text that is no time last"],
  ["User", `${ACME}:reviews`, ["u1", "u2", "u3", "u4"], "multi-valued dateTime: the first element's instant"],
  ["Group", "meta.resourceType", ["g1", "g2", "g3"], "one value for every Group: creation order"],
];

describe("sortToSql", () => {
  test.each(cases)("%s sortBy=%s → %p (%s)", (rt, sortBy, expected) => {
    expect(order(rt, sortBy)).toEqual(expected);
  });

  test("descending puts missing values first (RFC 7644 §3.4.2.3)", () => {
    expect(order("User", "name.familyName", true)).toEqual(["u4", "u2", "u1", "u3"]);
  });

  test("dateTime descending: by instant, text that is no time first", () => {
    expect(order("User", `${ACME}:hireDate`, true)).toEqual(["u4", "u3", "u2", "u1"]);
  });

  test("a constant sort key descending is the reverse creation order", () => {
    expect(order("User", "meta.resourceType", true)).toEqual(["u4", "u3", "u2", "u1"]);
  });

  test("across resource types (a root search): an attribute the type lacks is no value; meta.resourceType names the type", () => {
    const across = (rt: "User" | "Group", sortBy: string) => sortToSql({ registry, resourceType: rt, alias: "r", alongside: [rt === "User" ? "Group" : "User"] }, sortBy);
    expect(across("Group", "userName")).toEqual({ ok: true, value: "NULL" });
    expect(across("User", "members.value")).toEqual({ ok: true, value: "NULL" });
    expect(across("Group", "meta.resourceType")).toEqual({ ok: true, value: "'Group'" });
    expect(across("User", "userName")).toEqual(sortToSql({ registry, resourceType: "User", alias: "r" }, "userName"));
    for (const sortBy of ["name", "shoeSize"]) expect(across("Group", sortBy).ok).toBe(false);
  });

  const bad = ["nope", "name", "x y", "password", "userName') --"];
  test.each(bad)("sortBy=%p → 400", (sortBy) => {
    const r = sortToSql({ registry, resourceType: "User", alias: "r" }, sortBy);
    expect(r.ok ? undefined : r.error.status).toBe(400);
  });
});
