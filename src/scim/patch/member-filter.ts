// A value filter on a group's `members` in a PATCH remove (RFC 7644 §3.5.2.2: "the values matched by the filter
// are removed"). Members live in their own table, so the filter is checked here and matched by the caller against
// the member rows it reads: value, type, and display as GET shows it.
import { badRequest, type ScimError } from "../../errors.ts";
import type { FilterNode } from "../filter/ast.ts";
import { type AttributeOf, matchesFilter } from "../filter/evaluate.ts";
import { groupSchema } from "../schema/group-schema.ts";
import type { AttributeDef } from "../schema/types.ts";
import { foldCase } from "../unicode-fold.ts";
import { findSubAttribute } from "./coerce.ts";
import { valueFilterError } from "./value-filter.ts";

/** A member as GET shows it, minus `$ref` (which a members filter cannot name, as in a GET filter). */
export type ShownMember = {
  value: string;
  type: "User" | "Group";
  display: string | null;
};

const MEMBERS = groupSchema.attributes.find((a) => a.name === "members") as AttributeDef;

/** The sub-attributes a member row holds. */
const FILTERABLE = new Set(["value", "type", "display"]);

/** `value eq "id"`, or such comparisons joined by `or`: the ids, removed without reading the other members. */
export function memberIdsOf(node: FilterNode): string[] | undefined {
  if (node.kind === "or") {
    const left = memberIdsOf(node.left);
    const right = memberIdsOf(node.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (node.kind !== "compare" || node.op !== "eq" || node.path.subAttr !== undefined || node.path.uri !== undefined) return undefined;
  if (node.path.name.toLowerCase() !== "value") return undefined;
  // Unquoted ids (`value eq 1234`) arrive as numbers; the id is the token as written. value is caseExact false
  // (RFC 7643 §8.7.1, /Schemas): ids are lower-case UUIDs scimd makes, so the folded id is the stored one.
  const id = typeof node.value === "string" ? node.value : node.literal;
  return id ? [foldCase(id)] : undefined;
}

/**
 * 400 invalidFilter for a filter naming what a member row does not hold: what no members filter may name
 * (valueFilterError), and `$ref`, which a GET filter cannot name either (sql-targets.ts).
 */
export const memberFilterError = (node: FilterNode): ScimError | undefined =>
  valueFilterError(MEMBERS, node, (sub) =>
    FILTERABLE.has(sub.name) ? undefined : badRequest("invalidFilter", `Attribute 'members.${sub.name}' cannot be filtered`),
  );

const memberAttribute: AttributeOf = (name) => findSubAttribute(MEMBERS, name);

/** The ids of the members `filter` (checked by memberFilterError) matches. */
export const matchingMembers = (filter: FilterNode, members: readonly ShownMember[]): string[] =>
  members.filter((m) => matchesFilter(filter, m, memberAttribute)).map((m) => m.value);
