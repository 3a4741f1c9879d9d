// Users and Groups for the projection differential test: Entra-shaped Users (entraUser) with a tenant extension
// holding one attribute of each "returned" kind (RFC 7643 §2.4) and a password now and then; Groups holding
// users and earlier groups (so users have indirect `groups`), with a Group extension holding an "always" one.
import { entraUser, type Rng, word } from "./patch-generator";

type Doc = Record<string, unknown>;

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PROJ_USER = "urn:ietf:params:scim:schemas:extension:proj:2.0:User";
export const PROJ_GROUP = "urn:ietf:params:scim:schemas:extension:proj:2.0:Group";
const AD_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

export const USER_EXTENSION = {
  id: PROJ_USER,
  name: "ProjUser",
  resourceType: "User",
  attributes: [
    { name: "level", type: "integer", returned: "always" },
    { name: "hint", type: "string", returned: "request" },
    { name: "secret", type: "string", mutability: "writeOnly", returned: "never" },
    { name: "badge", type: "integer" },
    { name: "tags", type: "string", multiValued: true },
    {
      name: "building",
      type: "complex",
      subAttributes: [
        { name: "code", type: "string" }, { name: "floor", type: "integer" }, { name: "pin", type: "string", mutability: "writeOnly", returned: "never" },
        { name: "door", type: "string", returned: "request" },
      ],
    },
  ],
};

export const GROUP_EXTENSION = {
  id: PROJ_GROUP,
  name: "ProjGroup",
  resourceType: "Group",
  attributes: [{ name: "tier", type: "integer", returned: "always" }, { name: "note", type: "string" }],
};

const maybe = <T>(r: Rng, p: number, make: () => T): T | undefined => (r.next() < p ? make() : undefined);
const defined = (d: Doc): Doc => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));

/** A POST or PUT /Users body without the "request" attributes (projection-request-writes.ts adds them). */
export function userBody(r: Rng, userName: string, managers: string[]): Doc {
  const ext = defined({
    level: maybe(r, 0.6, () => r.int(5)),
    secret: maybe(r, 0.4, () => word(r)),
    badge: maybe(r, 0.5, () => r.int(1000)),
    tags: maybe(r, 0.4, () => [word(r), word(r)]),
    building: maybe(r, 0.4, () => defined({ code: maybe(r, 0.5, () => word(r)), floor: r.int(9), pin: maybe(r, 0.5, () => String(r.int(9999))) })),
  });
  return {
    ...entraUser(r, userName, managers),
    schemas: [CORE_USER, ENTERPRISE, PROJ_USER],
    ...(Object.keys(ext).length ? { [PROJ_USER]: ext } : {}),
    ...(r.next() < 0.3 ? { password: `Pw-${word(r)}-${r.int(99)}` } : {}),
  };
}

/** A POST or PUT /Groups body; `earlier` are the groups it may hold, all older than it, so nesting never loops. */
export function groupBody(r: Rng, displayName: string, users: string[], earlier: string[]): Doc {
  const members = [
    ...users.filter(() => r.next() < 0.2).map((value) => ({ value })),
    ...earlier.filter(() => r.next() < 0.25).map((value) => ({ value, type: "Group" })),
  ];
  const ext = defined({ tier: maybe(r, 0.6, () => r.int(4)), note: maybe(r, 0.5, () => word(r)) });
  return {
    schemas: [CORE_GROUP, AD_GROUP, PROJ_GROUP],
    displayName,
    ...(r.next() < 0.6 ? { externalId: `g-${r.int(1000)}` } : {}),
    ...(members.length || r.next() < 0.3 ? { members } : {}),
    ...(Object.keys(ext).length ? { [PROJ_GROUP]: ext } : {}),
  };
}

/** A PATCH /Users/{id} that applies: one to six operations on core, enterprise and tenant attributes. */
export const userPatchOperations = (r: Rng): Doc[] =>
  [
    { op: "replace", path: "displayName", value: `${word(r)} ${word(r)}` },
    { op: "Replace", path: `${ENTERPRISE}:department`, value: word(r) },
    { op: "add", path: `${PROJ_USER}:badge`, value: r.int(1000) },
    { op: "replace", path: `${PROJ_USER}:level`, value: r.int(5) },
    { op: "Remove", path: "title" },
    { op: "add", path: "emails", value: [{ type: "other", value: `x${r.int(99)}@contoso.com` }] },
  ].filter(() => r.next() < 0.5);

/** A PATCH /Groups/{id} that applies: members added and removed, externalId and the extension replaced. */
export const groupPatchOperations = (r: Rng, users: string[]): Doc[] =>
  [
    { op: "Add", path: "members", value: [{ value: r.pick(users) }] },
    { op: "Remove", path: "members", value: [{ value: r.pick(users) }] },
    { op: "Replace", path: "externalId", value: `g-${r.int(1000)}` },
    { op: "replace", path: `${PROJ_GROUP}:note`, value: word(r) },
  ].filter(() => r.next() < 0.6);
