// Seeded PATCH /Groups/{id} requests on what a Group holds besides members (RFC 7643 §4.2: displayName,
// externalId), in Entra's shapes (entra.md: "Replace", path-less replace, `""`/`null` to clear) and with the
// same kinds of wrong operations as the User generator. Member operations have tests of their own.
import { type Rng, operation, spell, stringValue, word } from "./patch-generator";
import { CORE_GROUP, ENTERPRISE } from "./patch-schema";

type Doc = Record<string, unknown>;

const nameOrClear = (r: Rng, fresh: string) => (r.next() < 0.85 ? fresh : r.pick(["", null]));
const core = (r: Rng, path: string) => (r.next() < 0.15 ? `${spell(r, CORE_GROUP)}:${path}` : path);

function goodOp(r: Rng, fresh: () => string): Doc {
  switch (r.int(5)) {
    case 0:
      return operation(r, r.pick(["add", "replace"] as const), core(r, spell(r, "displayName")), fresh());
    case 1:
      return r.next() < 0.25 ? operation(r, "remove", core(r, spell(r, "externalId"))) : operation(r, r.pick(["add", "replace"] as const), core(r, spell(r, "externalId")), stringValue(r));
    case 2: {
      const value: Doc = {};
      if (r.next() < 0.6) value[spell(r, "displayName")] = nameOrClear(r, fresh());
      if (r.next() < 0.6) value[core(r, "externalId")] = stringValue(r);
      // Entra reads a group and writes parts of it back: readOnly values are ignored, unknown schemas skipped.
      if (r.next() < 0.2) Object.assign(value, r.pick([{ id: "other" }, { meta: { resourceType: "Group" } }, { [`${ENTERPRISE}:department`]: "x" }]));
      return operation(r, r.pick(["add", "replace"] as const), undefined, value);
    }
    case 3:
      // An attribute of another resource type's schema: no Group attribute, so skipped (README).
      return operation(r, r.pick(["add", "replace", "remove"] as const), r.pick([`${ENTERPRISE}:department`, "userName", "name.givenName"]), word(r));
    default:
      return operation(r, "replace", "externalId", `ext-${r.int(100)}`);
  }
}

function oddOp(r: Rng, taken: string): Doc {
  return r.pick<() => Doc>([
    () => operation(r, "replace", r.pick(["id", "meta.created", "meta"]), "x"),
    () => operation(r, r.pick(["remove", "replace"] as const), "displayName", r.pick(["", null])),
    () => operation(r, "replace", r.pick(["displayName", "externalId"]), r.pick([42, true, { a: 1 }, ["x"]])),
    () => operation(r, "replace", r.pick(['displayName[value eq "x"]', "displayName.sub", "externalId..x"]), "x"),
    () => operation(r, "remove", r.pick(["members[value eq]", 'members[value zz "x"]'])),
    () => operation(r, "replace", "displayName", r.next() < 0.5 ? taken.toUpperCase() : taken),
    () => ({ op: r.pick(["move", "Update"]), path: "displayName", value: "x" }),
  ])();
}

/** `fresh` gives displayNames no other group has. */
export function randomGroupPatch(r: Rng, fresh: () => string, takenDisplayName: string): Doc {
  const count = 1 + r.int(4);
  const ops = Array.from({ length: count }, () => goodOp(r, fresh));
  if (r.next() < 0.3) ops[r.int(count)] = oddOp(r, takenDisplayName);
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: ops };
}
