import { describe, expect, test } from "bun:test";
import { parseFilter } from "../../../src/scim/filter/parser.ts";
import { filterToSql } from "../../../src/scim/filter/to-sql.ts";
import { ACME, createFixtureDb, createFixtureRegistry } from "./fixture-db.ts";

const db = createFixtureDb();
const registry = createFixtureRegistry();
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

type Rt = "User" | "Group";
function compile(resourceType: Rt, filter: string, nestsGroups?: () => boolean) {
  const parsed = parseFilter(filter);
  if (!parsed.ok) return parsed;
  return filterToSql(parsed.value, { registry, resourceType, alias: "r", nestsGroups });
}

/** Runs the filter the way the list endpoint does: tenant first, then the filter's condition. */
function ids(resourceType: Rt, filter: string, tenant = "t1", nestsGroups?: () => boolean): string[] {
  const sql = compile(resourceType, filter, nestsGroups);
  if (!sql.ok) throw new Error(`${filter}: ${sql.error.detail}`);
  const table = resourceType === "User" ? "users" : "groups";
  const rows = db
    .query(`SELECT r.id FROM ${table} r WHERE r.tenant_id = ? AND (${sql.value.sql}) ORDER BY r.id`)
    .all(tenant, ...sql.value.params) as { id: string }[];
  return rows.map((r) => r.id);
}

// [filter, ids in tenant t1, source]. Fixture: test/scim/filter/fixture-db.ts.
const users: [string, string[], string][] = [
  ['userName eq "bjensen"', ["u1"], "RFC 7644 Figure 2"],
  ['userName eq "BJENSEN"', ["u1"], "entra.md Match: case-insensitive userName"],
  ['USERNAME Eq "JSMITH"', ["u2"], "lenient names and operators"],
  ['userName eq "5d48a0a8-e3bd-4f5a-8e33-6e0a2cf8d1d4"', [], "entra.md Test Connection: matches nothing, no error"],
  ['externalId eq "EXT-1"', ["u1"], "entra.md Match by externalId"],
  ['externalId eq "ext-1"', [], "RFC 7643 §3.1 externalId is caseExact"],
  ['id eq "u3"', ["u3"], "RFC 7643 §3.1 id"],
  ['displayName eq "babs jensen"', ["u1"], "RFC 7643 §2.3.1 caseExact=false"],
  ['displayName ne "Babs Jensen"', ["u2", "u3", "u4"], "ne includes resources without the attribute"],
  ["displayName eq null", ["u3"], "eq null: absent"],
  ["externalId ne null", ["u1", "u2"], "ne null: present"],
  ["externalId pr", ["u1", "u2"], "RFC 7644 pr on a column"],
  ["active eq false", ["u2"], "boolean column"],
  ["active eq true", ["u1", "u3", "u4"], "boolean column"],
  ["active ne true", ["u2"], "boolean ne"],
  ['active eq "False"', ["u2"], "entra.md: booleans as strings"],
  ['userName sw "J"', ["u2"], "RFC 7644 sw"],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ["u2"], "RFC 7644 Figure 2 URN-qualified"],
  ['userName co "%"', ["u4"], "'%' is literal in co"],
  ['userName co "_"', ["u3"], "'_' is literal in co"],
  ['userName sw "ab%"', ["u4"], "'%' is literal in sw"],
  ['userName ew "%CD"', ["u4"], "'%' is literal in ew"],
  ['userName eq "ab_cd"', [], "'_' is no wildcard in eq"],
  ['title co "_"', ["u4"], "'_' is literal in co on JSON data"],
  ['emails co "%_"', ["u2"], "'%_' is literal in co on multi-valued data"],
  ['title ew ""', ["u1", "u2", "u4"], "every string ends with the empty string"],
  ['name.familyName co "O\'Malley"', ["u2"], "RFC 7644 Figure 2"],
  ['name.familyName eq "o\'malley"', ["u2"], "caseExact=false on JSON data"],
  ['name.givenName gt "b"', ["u1", "u2"], "string gt, case-insensitive"],
  ["title pr", ["u1", "u4"], "RFC 7644 pr: '' is not present"],
  ["not (title pr)", ["u2", "u3"], "not is a true negation"],
  ["name pr", ["u1", "u2", "u3", "u4"], "pr on a complex attribute"],
  ["roles pr", [], "pr: empty array is not present"],
  ["emails pr", ["u1", "u2", "u4"], "pr on a multi-valued attribute"],
  ["addresses pr", [], "pr on a multi-valued attribute without a value sub-attribute"],
  ['addresses[type eq "work"]', [], "valuePath on addresses"],
  ['title pr and userType eq "Employee"', ["u1"], "RFC 7644 Figure 2"],
  ['title pr or userType eq "Intern"', ["u1", "u2", "u4"], "RFC 7644 Figure 2"],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', ["u2", "u3", "u4"], "RFC 7644 Figure 2"],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', ["u1", "u2", "u3", "u4"], "RFC 7644 Figure 2"],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', [], "RFC 7644 Figure 2"],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', ["u1"], "RFC 7644 Figure 2"],
  ['meta.created gt "2012-01-01T01:00:00+02:00"', ["u2", "u3", "u4"], "dateTime with an offset is normalised"],
  ['meta.created eq "2013-06-30T12:00:00.5Z"', ["u3"], "dateTime eq across formats"],
  ['meta.created ge "2013-06-30T12:00:00.5001Z"', ["u4"], "sub-millisecond value"],
  ["meta.Created gt 2015-10-10T14:38:21.8617979-07:00", [], "Postman: unquoted dateTime"],
  ["meta.created lt 2015-10-10T14:38:21.8617979-07:00", ["u1", "u2", "u3", "u4"], "Postman: unquoted dateTime"],
  ['meta.resourceType eq "User"', ["u1", "u2", "u3", "u4"], "meta.resourceType is a constant"],
  ['meta.resourceType eq "Group"', [], "meta.resourceType is a constant"],
  [`schemas eq "${ENT}"`, ["u1"], "RFC 7644 Figure 2"],
  [
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    ["u1"],
    "RFC 7644 Figure 2: emails means emails.value",
  ],
  [
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    ["u4"],
    "RFC 7644 Figure 2",
  ],
  ['userType eq "Employee" and (emails.type eq "work")', ["u1"], "RFC 7644 Figure 2"],
  ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', ["u1"], "RFC 7644 Figure 2"],
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ["u1"],
    "RFC 7644 Figure 2",
  ],
  ['emails[type eq "home" and value co "@example.com"]', [], "valuePath: one and the same element"],
  ['emails.type eq "home" and emails.value co "@example.com"', ["u1"], "without brackets: any element each"],
  ['emails[type eq "work"].value eq "BJENSEN@example.com"', ["u1"], "entra.md Match"],
  ['emails[type eq "home"].value eq "bjensen@example.com"', [], "entra.md Match: same element"],
  ['emails.value ne "bjensen@example.com"', ["u2", "u3", "u4"], "ne on multi-valued: no element equal"],
  ["emails[primary eq true]", ["u1"], "boolean sub-attribute in a valuePath"],
  ['emails[not (type eq "work")]', ["u1", "u4"], "not inside a valuePath"],
  ['phoneNumbers[type eq "mobile"].value eq "555-0100"', ["u1"], "entra.md default mapping"],
  [`${ENT}:employeeNumber eq "701984"`, ["u1"], "enterprise extension"],
  [`${ENT}:department sw "tour"`, ["u1"], "enterprise extension"],
  [`${ENT}:manager.value eq "u3"`, ["u1"], "enterprise manager"],
  [`${ENT}:manager eq "u3"`, ["u1"], "complex attribute compared by its value"],
  [`${ENT.toUpperCase()}:EMPLOYEENUMBER eq "701984"`, ["u1"], "URN and name in any case"],
  ['x509Certificates.value eq "QUJD"', ["u1"], "RFC 7643 §2.3.6 binary is case exact"],
  ['x509Certificates co "ujd"', ["u2"], "RFC 7643 §2.3.6 binary is case exact"],
  ['groups.value eq "g1"', ["u1", "u2"], "RFC 7643 §4.1.2 groups through nested groups: u2 is in g2, g2 in g1"],
  ['groups eq "g2"', ["u2"], "groups means groups.value"],
  ['groups[value eq "G2"]', ["u2"], "RFC 7643 §8.7.1 groups.value caseExact false, as /Schemas says"],
  ['groups.display eq "tour guides"', ["u2"], "groups.display from the group's name"],
  ['groups.display eq "admins"', ["u1", "u2"], "groups.display of a group reached through a nested group"],
  ['groups.type eq "direct"', ["u1", "u2"], "RFC 7643 §4.1.2 type direct"],
  ['groups.type eq "indirect"', ["u2"], "RFC 7643 §4.1.2 type indirect"],
  ['groups[value eq "g1" and type eq "direct"]', ["u1"], "valuePath: one membership, direct"],
  ['groups[value eq "g1" and type eq "indirect"]', ["u2"], "valuePath: one membership, indirect"],
  ['groups[value eq "g2" and type eq "indirect"]', [], "valuePath: value and type of the same membership"],
  ["groups pr", ["u1", "u2"], "pr on groups"],
  ['not (userName eq "bjensen")', ["u2", "u3", "u4"], "RFC 7644 not"],
  ["userName eq Test_User_abc", [], "Postman: unquoted value"],
  ["name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)", [], "Postman"],
  ["userName sw O", [], "Postman"],
  ['DisplayName eq "BobIsAmazing"', [], "Postman"],
  // Values never reach SQL text.
  ["userName eq \"x' OR '1'='1\"", [], "injection in a value is inert"],
  ['title co "\') OR 1=1 --"', [], "injection in a value is inert"],
  ['userName eq "bjensen\\" OR \\"1\\"=\\"1"', [], "injection in a value is inert"],
];

const groups: [string, string[], string][] = [
  ['displayName eq "ADMINS"', ["g1"], "entra.md: case-insensitive group displayName"],
  ['displayName eq "0b6f5f39-2b5b-4b8e-9f5a-0a4a6f5b8c9d"', [], "entra.md group probe"],
  ['externalId eq "gx1"', ["g1"], "entra.md Groups"],
  ['members.value eq "u1"', ["g1"], "members from group_members"],
  ['members eq "u2"', ["g2"], "members means members.value"],
  ['members.value eq "U1"', ["g1"], "RFC 7643 §8.7.1 members.value caseExact false, as /Schemas says"],
  ['members[value sw "U"]', ["g1", "g2"], "members.value caseExact false: sw too"],
  ['members[value eq "g2" and type eq "Group"]', ["g1"], "valuePath on members: same row"],
  ['members[value eq "u1" and type eq "Group"]', [], "valuePath on members: same row"],
  ['members.type eq "group"', ["g1"], "member type"],
  ['members.display eq "tour guides"', ["g1"], "members.display: a group member's displayName"],
  ['members[type eq "User" and display eq "JOHN SMITH"]', ["g2"], "members.display: a user member's displayName"],
  ["members pr", ["g1", "g2"], "pr on members"],
  ["not (members pr)", ["g3"], "groups without members"],
  ['members.value ne "u1"', ["g2", "g3"], "ne on members: no member equal"],
  ['meta.resourceType eq "Group"', ["g1", "g2", "g3"], "constant"],
];

// RFC 7643 §2.3.5: a dateTime is an instant. A tenant's extension keeps the client's text, so these compare
// as instants in SQL, whatever offset or fraction the text was written with; text SQLite cannot read is no value.
const instants: [string, string[], string][] = [
  [`${ACME}:hireDate eq "2020-01-01T10:00:00Z"`, ["u1", "u2"], "the same instant with an offset"],
  [`${ACME}:hireDate eq "2020-01-01T11:00:00+01:00"`, ["u1", "u2"], "the filter value's offset counts too"],
  [`${ACME}:hireDate eq "2020-01-01T10:00:00.500Z"`, ["u3"], "fraction written differently"],
  [`${ACME}:hireDate lt "2020-01-01T11:00:00Z"`, ["u1", "u2", "u3"], "12:00+02:00 is before 11:00Z"],
  [`${ACME}:hireDate gt "2020-01-01T10:00:00Z"`, ["u3"], "10:00:00.5Z is after 10:00Z, though before it as text"],
  [`${ACME}:hireDate ge "2020-01-01T10:00:00.0001Z"`, ["u3"], "a sub-millisecond value"],
  [`${ACME}:hireDate ne "2020-01-01T10:00:00Z"`, ["u3", "u4"], "ne includes text that is no time"],
  [`not (${ACME}:hireDate ge "2000-01-01T00:00:00Z")`, ["u4"], "text that is no time: a true negation"],
  [`${ACME}:hireDate pr`, ["u1", "u2", "u3", "u4"], "pr: any text"],
  [`${ACME}:hireDate sw "2020-01-01T1"`, ["u1", "u2", "u3"], "sw compares text"],
  [`${ACME}:reviews eq "2021-05-31T22:00:00Z"`, ["u1"], "multi-valued: any element"],
  [`${ACME}:reviews lt "2020-01-01T00:00:00Z"`, ["u2"], "multi-valued: any element"],
  [`${ACME}:reviews gt "1900-01-01T00:00:00Z"`, ["u1", "u2"], "a number or a 13th month is no time"],
  [`${ACME}:reviews ne "2021-06-01T00:00:00+02:00"`, ["u2", "u3", "u4"], "ne on multi-valued: no element equal"],
];

// Tenant t3: RFC 7643 §2.2 caseExact=false beyond ASCII, which SQLite's own lower() does not fold.
const unicode: [string, string[], string][] = [
  ['displayName eq "émile zola"', ["u6"], "É matches é; E does not"],
  ['displayName eq "ÉMILE ZOLA"', ["u6"], "upper case value"],
  ['displayName co "MILE Z"', ["u6", "u9"], "ASCII value: plain lower()"],
  ['displayName co "ÉMILE"', ["u6"], "co"],
  ['displayName sw "émi"', ["u6"], "sw"],
  ['displayName ew "ÉMILE ZOLA"', ["u6"], "ew"],
  ['displayName ne "émile zola"', ["u7", "u8", "u9"], "ne"],
  ['not (displayName co "é")', ["u7", "u8", "u9"], "not"],
  ['displayName eq "σοφιας"', ["u7"], "final sigma ς matches Σ"],
  ['displayName eq "Σοφιασ"', ["u7"], "σ matches Σ"],
  ['name.familyName eq "петров"', ["u7"], "Cyrillic on JSON data"],
  ['name.familyName sw "ПЕТ"', ["u7"], "Cyrillic sw"],
  ['name.givenName eq "ÉMILE"', ["u6"], "JSON data"],
  ['title eq "STRAẞE"', ["u8"], "capital sharp s ẞ matches ß"],
  ['displayName eq "ILGıN"', ["u8"], "dotless ı matches itself"],
  ['displayName eq "ilgin"', [], "Unicode keeps dotless ı apart from i"],
  ['displayName eq "ılgın"', [], "and I folds to i, not to ı"],
  ['emails.value eq "ÉMILE@EXEMPLE.FR"', ["u6"], "multi-valued element"],
  ['emails[type eq "work" and value co "ÉMILE@"]', ["u6"], "valuePath"],
  // Ordering compares the whole value folded: é (from É) sorts after à and every ASCII letter.
  ['displayName gt "à"', ["u6", "u7"], "gt: É folds to é, which follows à"],
  ['displayName lt "ÉMILE ZOLB"', ["u6", "u8", "u9"], "lt: the filter value folds too"],
  ['displayName ge "ÉMILE ZOLA"', ["u6", "u7"], "ge: equal once folded"],
  ['displayName le "σοφιασ"', ["u6", "u7", "u8", "u9"], "le: ΣΟΦΙΑΣ folds to σοφιασ"],
  ['name.familyName le "ПЕТРОВ"', ["u6", "u7"], "le on JSON data: Zola and Петров"],
  ['not (displayName gt "émile zola")', ["u6", "u8", "u9"], "not: a true negation"],
  ['userName eq "EMILE"', ["u6"], "userName: lowered key column, unchanged"],
  ['externalId eq "É"', [], "caseExact attribute: unchanged"],
];

describe("filterToSql on a real SQLite database", () => {
  test.each(unicode)("User %s → %p in a tenant with non-ASCII names (%s)", (filter, expected) => {
    expect(ids("User", filter, "t3")).toEqual(expected);
  });
  test.each(instants)("User %s → %p (%s)", (filter, expected) => {
    expect(ids("User", filter)).toEqual(expected);
  });
  test.each(users)("User %s → %p (%s)", (filter, expected) => {
    expect(ids("User", filter)).toEqual(expected);
  });
  test.each(groups)("Group %s → %p (%s)", (filter, expected) => {
    expect(ids("Group", filter)).toEqual(expected);
  });

  test("the caller's tenant condition keeps tenants apart", () => {
    expect(ids("User", 'userName eq "bjensen"', "t2")).toEqual(["u5"]);
    expect(ids("User", 'externalId eq "EXT-1"', "t2")).toEqual(["u5"]);
    expect(ids("Group", 'displayName eq "admins"', "t2")).toEqual(["g4"]);
    expect(ids("Group", 'members.value eq "u5"', "t1")).toEqual([]);
    expect(ids("Group", 'members.value eq "u5"', "t2")).toEqual(["g4"]);
  });

  test("a tenant without groups in groups gets its users' direct memberships, without the recursive climb", () => {
    const flat = () => false;
    expect(ids("User", 'groups.value eq "u5"', "t2", flat)).toEqual([]);
    expect(ids("User", 'groups.value eq "g4"', "t2", flat)).toEqual(["u5"]);
    expect(ids("User", 'groups[type eq "direct" and display eq "ADMINS"]', "t2", flat)).toEqual(["u5"]);
    expect(ids("User", 'groups.type eq "indirect"', "t2", flat)).toEqual([]);
    // The SQL follows the answer it is given: t1 does nest (g2 is in g1), so told otherwise, u2 drops out.
    expect(ids("User", 'groups.value eq "g1"', "t1", flat)).toEqual(["u1"]);
    const sql = compile("User", 'groups.value eq "g1"', flat);
    expect(sql.ok && sql.value.sql).not.toContain("RECURSIVE");
    // Asked only when a filter names groups.
    const never = () => {
      throw new Error("asked");
    };
    expect(ids("User", 'userName eq "bjensen"', "t1", never)).toEqual(["u1"]);
  });

  test("userName eq uses the (tenant_id, user_name_key) unique index", () => {
    const sql = compile("User", 'userName eq "BJensen"');
    if (!sql.ok) throw new Error(sql.error.detail);
    expect(sql.value.params).toEqual(["bjensen"]);
    const plan = db
      .query(`EXPLAIN QUERY PLAN SELECT r.id FROM users r WHERE r.tenant_id = ? AND (${sql.value.sql})`)
      .all("t1", ...sql.value.params) as { detail: string }[];
    expect(plan.map((p) => p.detail).join("\n")).toContain("users_tenant_user_name");
  });

  // Ids are lower-case UUIDs scimd makes: compared case-insensitively, the folded value still meets the raw column.
  test.each([
    ["Group", 'members.value eq "U1"', "u1"],
    ["User", 'groups.value eq "G1"', "g1"],
    ["User", 'groups[value eq "G1" and type eq "direct"]', "g1"],
  ] as [Rt, string, string][])("%s %s compares the folded id through group_members' member index", (rt, filter, id) => {
    for (const nests of [false, true]) {
      const sql = compile(rt, filter, () => nests);
      if (!sql.ok) throw new Error(sql.error.detail);
      expect(sql.value.params[0]).toBe(id);
      const plan = db
        .query(`EXPLAIN QUERY PLAN SELECT r.id FROM ${rt === "User" ? "users" : "groups"} r WHERE r.tenant_id = ? AND (${sql.value.sql})`)
        .all("t1", ...sql.value.params) as { detail: string }[];
      const text = plan.map((p) => p.detail).join("\n");
      expect(text).toContain("INDEX group_members_member (tenant_id=? AND member_id=?");
      expect(text).not.toMatch(/SCAN group_members|TEMP B-TREE/);
    }
  });

  test("fresh aliases for every subquery", () => {
    const sql = compile("User", 'emails.value pr and ims[type eq "xmpp"] and groups.display pr');
    if (!sql.ok) throw new Error(sql.error.detail);
    for (const alias of ["e1", "e2", "gm3", "g4"]) expect(sql.value.sql).toContain(` ${alias}`);
  });
});

// RFC 7644 §3.4.3 search at the root, §3.4.2.1: an attribute only the other resource type has is, on this one,
// an attribute without a value. [resource type, filter, ids in tenant t1]
const alongside: [Rt, string, string[]][] = [
  ["Group", 'userName eq "bjensen"', []],
  ["Group", "userName pr", []],
  ["Group", "not (userName pr)", ["g1", "g2", "g3"]],
  ["Group", "userName eq null", ["g1", "g2", "g3"]],
  ["Group", "userName ne null", []],
  ["Group", 'userName ne "bjensen"', ["g1", "g2", "g3"]],
  ["Group", 'userName gt "a"', []],
  ["Group", 'displayName eq "admins" or userName eq "nobody"', ["g1"]],
  ["Group", 'emails[type eq "work"]', []],
  ["Group", 'not (emails[type eq "work"])', ["g1", "g2", "g3"]],
  ["Group", `${ENT}:manager eq "u3"`, []],
  ["Group", `${ACME}:hireDate lt "2030-01-01T00:00:00Z"`, []],
  ["User", 'members eq "u1"', []],
  ["User", 'not (members.value eq "u1")', ["u1", "u2", "u3", "u4"]],
  ["User", 'displayName eq "Babs Jensen" or members pr', ["u1"]],
];

describe("filterToSql in a search across resource types", () => {
  const across = (rt: Rt, filter: string) => {
    const parsed = parseFilter(filter);
    if (!parsed.ok) return parsed;
    return filterToSql(parsed.value, { registry, resourceType: rt, alias: "r", alongside: [rt === "User" ? "Group" : "User"] });
  };
  test.each(alongside)("%s %s → %p", (rt, filter, expected) => {
    const sql = across(rt, filter);
    if (!sql.ok) throw new Error(sql.error.detail);
    const table = rt === "User" ? "users" : "groups";
    const rows = db.query(`SELECT r.id FROM ${table} r WHERE r.tenant_id = 't1' AND (${sql.value.sql}) ORDER BY r.id`).all(...sql.value.params);
    expect(rows.map((r) => (r as { id: string }).id)).toEqual(expected);
  });
  // Refused as it would be where the attribute exists, and an attribute no type has stays unknown.
  test.each([
    ["Group", 'shoeSize eq "9"'],
    ["Group", "userName gt null"],
    ["Group", 'active eq "maybe"'],
    ["Group", 'name eq "x"'],
    ["Group", 'password eq "x"'],
    ["Group", `${ACME}:hireDate gt "yesterday"`],
    ["User", "members.value lt null"],
  ] as [Rt, string][])("%s %s → 400 invalidFilter", (rt, filter) => {
    const r = across(rt, filter);
    expect(r.ok ? undefined : [r.error.status, r.error.scimType]).toEqual([400, "invalidFilter"]);
  });
  test("userName eq compiles to the same SQL as on its own (the lookup Entra makes)", () => {
    expect(across("User", 'userName eq "BJensen"')).toEqual(compile("User", 'userName eq "BJensen"'));
  });
});

// RFC 7644 §3.4.2.2: an unsupported attribute or comparison → 400 invalidFilter.
function codePoints(from: number, to: number): string {
  let s = "";
  for (let cp = from; cp < to; cp++) s += String.fromCodePoint(cp);
  return s;
}

const rejected: [Rt, string, string][] = [
  ["User", 'nickname2 eq "x"', "unknown attribute"],
  ["User", 'name.middle eq "x"', "unknown sub-attribute"],
  ["User", 'password eq "secret"', "returned=never attribute"],
  ["User", "active gt true", "booleans only eq/ne"],
  ["User", 'active eq "maybe"', "not a boolean"],
  ["User", 'name eq "x"', "complex attribute without a value sub-attribute"],
  ["User", 'meta.location eq "x"', "meta.location is not stored"],
  ["User", 'meta.created gt "yesterday"', "not a dateTime"],
  ["User", "userName gt null", "null only with eq/ne"],
  ["User", "emails.value lt null", "null only with eq/ne, multi-valued too"],
  ["User", 'addresses eq "x"', "multi-valued complex without a value sub-attribute"],
  ["User", 'userName[value eq "x"]', "valuePath on a simple attribute"],
  ["User", 'emails[nope eq "x"]', "unknown sub-attribute in a valuePath"],
  ["User", 'emails[value.x eq "y"]', "sub-sub-attribute in a valuePath"],
  ["Group", 'userName eq "x"', "User attribute on Group"],
  ["User", `${ENT}:nope eq "x"`, "unknown extension attribute"],
  // Injection attempts in attribute names: they never get past the parser or the allow-list.
  ["User", "urn:x')/**/OR/**/1=1;--:userName eq \"x\"", "injection in a URN prefix"],
  ["User", "userName'--.x eq \"x\"", "injection in a name"],
  ["User", 'data eq "x"', "column names are not attributes"],
  ["User", 'tenant_id eq "t2"', "column names are not attributes"],
  ["User", `displayName eq "${codePoints(0x400, 0x500)}${codePoints(0x1e00, 0x1f00)}"`, "too many different non-ASCII letters"],
];

describe("filterToSql: rejected filters → 400 invalidFilter", () => {
  test.each(rejected)("%s %s (%s)", (rt, filter) => {
    const r = compile(rt, filter);
    expect(r.ok ? undefined : [r.error.status, r.error.scimType]).toEqual([400, "invalidFilter"]);
  });
});
