import { t } from "elysia";

const Page = { startIndex: t.Optional(t.Numeric({ minimum: 1 })), count: t.Optional(t.Numeric({ minimum: 0, maximum: 200 })) };

export const DirectoryQuery = t.Object({
  q: t.Optional(t.String({ maxLength: 200, description: "Plain text: matched against names, emails, externalId and id" })),
  filter: t.Optional(t.String({ maxLength: 2000, description: "A SCIM filter (RFC 7644 §3.4.2.2), ANDed with `q`" })),
  sortBy: t.Optional(t.String({ maxLength: 200 })),
  sortOrder: t.Optional(t.UnionEnum(["ascending", "descending"])),
  ...Page,
});

export const MembersQuery = t.Object({ q: t.Optional(t.String({ maxLength: 200 })), ...Page });

// Resources keep every attribute, extensions included: a closed schema here would let Elysia strip them.
const Resource = t.Record(t.String(), t.Unknown(), { description: "The SCIM resource as /scim/v2 renders it" });

const ListOf = <T extends Parameters<typeof t.Array>[0]>(item: T) =>
  t.Object({ totalResults: t.Integer(), startIndex: t.Integer(), itemsPerPage: t.Integer(), Resources: t.Array(item) });

export const UserList = ListOf(Resource);
export const GroupList = ListOf(Resource);
export const GroupWithCount = Resource;

export const Member = t.Object({
  value: t.String({ description: "The member's id" }),
  type: t.UnionEnum(["User", "Group"]),
  display: t.Union([t.String(), t.Null()]),
  userName: t.Union([t.String(), t.Null()]),
  active: t.Union([t.Boolean(), t.Null()]),
});

export const MemberList = ListOf(Member);
