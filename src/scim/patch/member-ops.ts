import { badRequest, fail, ok, type Result } from "../../errors.ts";
import type { FilterNode } from "../filter/ast.ts";
import { isEmptyValue } from "./coerce.ts";
import { foldCase } from "../unicode-fold.ts";
import { getKey, isObject } from "./json.ts";
import { memberFilterError, memberIdsOf } from "./member-filter.ts";
import type { MemberOp, MemberRef, PatchOpName } from "./types.ts";

const memberType = (raw: string): MemberRef["type"] =>
  raw.toLowerCase() === "user" ? "User" : raw.toLowerCase() === "group" ? "Group" : undefined;

/**
 * Turns one operation on a group's `members` into a MemberOp (or none, for a no-op). Members are never
 * part of the resource JSON, so nothing here reads the current membership.
 */
export function memberOperation(
  op: PatchOpName,
  value: unknown,
  filter: FilterNode | undefined,
  subAttr: string | undefined,
): Result<MemberOp | undefined> {
  if (subAttr !== undefined) {
    return fail(badRequest("invalidPath", `members.${subAttr} cannot be patched: add or remove whole members.`));
  }
  if (filter) {
    if (op !== "remove") {
      return fail(badRequest("invalidPath", 'A members[...] value filter is only supported with "remove".'));
    }
    const ids = memberIdsOf(filter);
    if (ids) return ok({ kind: "remove", ids: unique(ids) });
    // §3.5.2.2 allows any value filter: matched against the member rows when the operation is applied.
    const error = memberFilterError(filter);
    return error ? fail(error) : ok({ kind: "removeMatching", filter });
  }
  if (op === "remove") {
    // §3.5.2.2: no value → every member goes. With a value, only the listed ids go (entra.md: a
    // literal reading that removes everyone broke real products).
    if (value === undefined || value === null) return ok({ kind: "removeAll" });
    const members = parseMembers(value);
    if (!members.ok) return members;
    return ok(members.value.length ? { kind: "remove", ids: members.value.map((m) => m.value) } : undefined);
  }
  const members = readMembers(value);
  if (!members.ok) return members;
  if (members.value.length === 0) return ok(op === "replace" ? { kind: "removeAll" } : undefined);
  return ok({ kind: op, members: members.value });
}

/**
 * The members an add or replace value lists, or a POST/PUT body's `members`: none for an empty value (`null`, `""`,
 * `[]`, `{}`), else every element read by parseMember, the first one it refuses failing the whole value.
 */
export const readMembers = (value: unknown): Result<MemberRef[]> => (isEmptyValue(value) ? ok([]) : parseMembers(value));

/**
 * Member values as sent: `[{"$ref": null, "value": "<id>"}]`, one such object, or bare id strings. An id named again
 * is dropped, unless it names a `type` not named for it before: that claim is checked when the member is added, as
 * the first one is (its label is not used; the first mention's is).
 */
function parseMembers(value: unknown): Result<MemberRef[]> {
  const members = new Map<string, MemberRef>();
  for (const item of Array.isArray(value) ? value : [value]) {
    const member = parseMember(item);
    if (!member.ok) return member;
    const key = `${member.value.value}\u0000${member.value.type ?? ""}`;
    if (!members.has(key)) members.set(key, member.value);
  }
  return ok([...members.values()]);
}

/**
 * RFC 7643 §4.2/§8.7.1: `display` (and Microsoft's `displayName` for it) and `$ref` are strings when given; `null` is
 * none (Entra sends `"$ref": null`). POST and PUT read their members here too, so all three refuse the same elements.
 */
const STRING_KEYS = ["display", "displayName", "$ref"] as const;
const isStringOrNone = (value: unknown) => value === undefined || value === null || typeof value === "string";

/**
 * One member as a client writes it (PATCH value, POST/PUT `members` element); `type` in any case. The id is folded:
 * `members.value` is caseExact false (RFC 7643 §8.7.1, /Schemas), and scimd's ids are lower-case UUIDs.
 */
export function parseMember(item: unknown): Result<MemberRef> {
  if (typeof item === "string" && item !== "") return ok({ value: foldCase(item) });
  if (!isObject(item)) {
    return fail(badRequest("invalidValue", `A member must be an object with a "value", not ${JSON.stringify(item)}.`));
  }
  const id = getKey(item, "value");
  if (typeof id !== "string" || id === "") {
    const detail = `A member's "value" must be a non-empty string id, not ${JSON.stringify(id)}.`;
    return fail(badRequest("invalidValue", detail));
  }
  const wrongType = STRING_KEYS.find((key) => !isStringOrNone(getKey(item, key)));
  if (wrongType !== undefined) {
    const detail = `A member's "${wrongType}" must be a string, not ${JSON.stringify(getKey(item, wrongType))}.`;
    return fail(badRequest("invalidValue", detail));
  }
  // Microsoft's own tools send `displayName` where the schema says `display`.
  const rawDisplay = getKey(item, "display") ?? getKey(item, "displayName");
  const display = typeof rawDisplay === "string" && rawDisplay !== "" ? { display: rawDisplay } : {};
  const rawType = getKey(item, "type");
  const value = foldCase(id);
  if (rawType === undefined || rawType === null || rawType === "") return ok({ value, ...display });
  const type = typeof rawType === "string" ? memberType(rawType) : undefined;
  if (!type) {
    const detail = `A member's "type" must be "User" or "Group", not ${JSON.stringify(rawType)}.`;
    return fail(badRequest("invalidValue", detail));
  }
  return ok({ value, type, ...display });
}

const unique = (ids: string[]) => [...new Set(ids)];
