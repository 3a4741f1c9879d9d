// A real in-memory database with the real migrations and a handful of resources for filter tests.
import { Database } from "bun:sqlite";
import { migrate } from "../../../src/db/migrate.ts";
import { attr } from "../../../src/scim/schema/define.ts";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "../../../src/scim/schema/types.ts";
import { registryWithUserExtension } from "../../support/registries.ts";


/** A tenant-declared extension (see createFixtureRegistry) whose dateTime values hold the client's text. */
export const ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";

/** The standard schemas, and ACME declared for Users as the admin API would. */
export const createFixtureRegistry = () =>
  registryWithUserExtension(ACME, [attr("hireDate", "", { type: "dateTime" }), attr("reviews", "", { type: "dateTime", multiValued: true })]);

interface UserRow {
  tenant: string;
  id: string;
  userName: string;
  externalId?: string;
  displayName?: string;
  active?: boolean;
  created: string;
  data: Record<string, unknown>;
}

const users: UserRow[] = [
  {
    tenant: "t1",
    id: "u1",
    userName: "bjensen",
    externalId: "EXT-1",
    displayName: "Babs Jensen",
    created: "2011-05-13T04:42:34.000Z",
    data: {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      name: { familyName: "Jensen", givenName: "Barbara" },
      title: "Tour Guide",
      userType: "Employee",
      // The primary email is not the first: sorting must take the primary one (RFC 7644 §3.4.2.3).
      emails: [
        { value: "babs@jensen.org", type: "home" },
        { value: "bjensen@example.com", type: "work", primary: true },
      ],
      ims: [{ value: "babs@foo.com", type: "xmpp" }],
      phoneNumbers: [{ value: "555-0100", type: "mobile" }],
      x509Certificates: [{ value: "QUJD" }],
      [ACME]: { hireDate: "2020-01-01T10:00:00Z", reviews: ["2021-06-01T00:00:00+02:00"] },
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: "701984", department: "Tour Operations", manager: { value: "u3" } },
    },
  },
  {
    tenant: "t1",
    id: "u2",
    userName: "JSmith",
    externalId: "ext-2",
    displayName: "John Smith",
    active: false,
    created: "2012-01-01T00:00:00.000Z",
    data: {
      schemas: [USER_SCHEMA],
      name: { familyName: "O'Malley", givenName: "John" },
      title: "",
      userType: "Intern",
      emails: [{ value: "100%_off@example.org", type: "work" }],
      x509Certificates: [{ value: "qujd" }],
      // hireDate: u1's instant, written with an offset; reviews: an hour after u1's, though before it as text.
      [ACME]: { hireDate: "2020-01-01T12:00:00+02:00", reviews: ["2021-05-31T23:00:00Z", "2019-01-01T00:00:00Z"] },
    },
  },
  {
    tenant: "t1",
    id: "u3",
    userName: "mgr_boss",
    created: "2013-06-30T12:00:00.500Z",
    data: {
      schemas: [USER_SCHEMA],
      name: { familyName: "Boss" },
      userType: "Employee",
      emails: [],
      roles: [],
      [ACME]: { hireDate: "2020-01-01T10:00:00.5Z" },
    },
  },
  {
    tenant: "t1",
    id: "u4",
    userName: "Ab%cd",
    displayName: "Percent",
    created: "2014-02-02T00:00:00.000Z",
    // A stray non-object element must not make json_extract fail.
    data: {
      schemas: [USER_SCHEMA],
      name: { givenName: "alice" },
      emails: ["stray", { value: "bb@example.net", type: "other" }],
      title: "Ab_cd",
      // Text no write would accept today (written before validation, or by hand): no value, never an error.
      [ACME]: { hireDate: "the first of May", reviews: [20210601, "2021-13-01T00:00:00Z"] },
    },
  },
  {
    tenant: "t2",
    id: "u5",
    userName: "bjensen",
    externalId: "EXT-1",
    created: "2011-05-13T04:42:34.000Z",
    data: { schemas: [USER_SCHEMA], userType: "Employee", emails: [{ value: "bjensen@example.com", type: "work" }] },
  },
  // Tenant t3: letters beyond ASCII, for case-insensitive comparisons that SQLite's lower() cannot make.
  {
    tenant: "t3",
    id: "u6",
    userName: "emile",
    displayName: "Émile Zola",
    created: "2020-01-01T00:00:00.000Z",
    data: { schemas: [USER_SCHEMA], name: { givenName: "Émile", familyName: "Zola" }, emails: [{ value: "émile@exemple.fr", type: "work" }] },
  },
  {
    tenant: "t3",
    id: "u7",
    userName: "sofia",
    displayName: "ΣΟΦΙΑΣ",
    created: "2020-01-01T00:00:00.000Z",
    data: { schemas: [USER_SCHEMA], name: { familyName: "Петров" } },
  },
  {
    tenant: "t3",
    id: "u8",
    userName: "ilgin",
    displayName: "Ilgın",
    created: "2020-01-01T00:00:00.000Z",
    data: { schemas: [USER_SCHEMA], title: "Straße" },
  },
  {
    tenant: "t3",
    id: "u9",
    userName: "emile.plain",
    displayName: "Emile Zola",
    created: "2020-01-01T00:00:00.000Z",
    data: { schemas: [USER_SCHEMA] },
  },
];

const groups = [
  { tenant: "t1", id: "g1", displayName: "Admins", externalId: "gx1", members: [["u1", "User"], ["g2", "Group"]] },
  { tenant: "t1", id: "g2", displayName: "Tour Guides", externalId: undefined, members: [["u2", "User"]] },
  { tenant: "t1", id: "g3", displayName: "Empty", externalId: undefined, members: [] },
  { tenant: "t2", id: "g4", displayName: "Admins", externalId: undefined, members: [["u5", "User"]] },
] as const;

export function createFixtureDb(): Database {
  const db = new Database(":memory:", { strict: true });
  migrate(db);
  const now = "2020-01-01T00:00:00.000Z";
  for (const t of ["t1", "t2", "t3"]) db.query("INSERT INTO tenants (id, name, created) VALUES (?, ?, ?)").run(t, t, now);
  const insertUser = db.query(
    `INSERT INTO users (tenant_id, id, user_name, user_name_key, external_id, display_name, active, data, created, last_modified)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const u of users) {
    const data = JSON.stringify({ ...u.data, userName: u.userName, active: u.active ?? true });
    insertUser.run(u.tenant, u.id, u.userName, u.userName.toLowerCase(), u.externalId ?? null, u.displayName ?? null,
      u.active === false ? 0 : 1, data, u.created, u.created);
  }
  const insertGroup = db.query(
    `INSERT INTO groups (tenant_id, id, display_name, display_name_key, external_id, data, created, last_modified)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMember = db.query("INSERT INTO group_members (tenant_id, group_id, member_id, member_type) VALUES (?, ?, ?, ?)");
  for (const g of groups) {
    const data = JSON.stringify({ schemas: [GROUP_SCHEMA], displayName: g.displayName });
    insertGroup.run(g.tenant, g.id, g.displayName, g.displayName.toLowerCase(), g.externalId ?? null, data, now, now);
    for (const [member, type] of g.members) insertMember.run(g.tenant, g.id, member, type);
  }
  return db;
}
