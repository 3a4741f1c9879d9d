// Finding and editing elements of a multi-valued attribute, for the PATCH operations on them.
import { badRequest, fail, ok, type Result } from "../../errors.ts";
import type { FilterNode } from "../filter/ast.ts";
import { matchesFilter } from "../filter/evaluate.ts";
import type { AttributeDef } from "../schema/types.ts";
import { findSubAttribute } from "./coerce.ts";
import { deepEqual, getKey, isObject, type JsonObject } from "./json.ts";

/** A bare value stands for `{value}` (RFC 7644 §3.4.2.2: a filter on a multi-valued attribute compares its value). */
export const asElement = (element: unknown): JsonObject => (isObject(element) ? element : { value: element });

/** The positions of the elements that match `filter`, strings compared as the sub-attributes' caseExact says. */
export function matchingIndexes(def: AttributeDef, elements: unknown[], filter: FilterNode): number[] {
  const attribute = attributeOf(def);
  const found: number[] = [];
  for (const [i, element] of elements.entries()) if (matchesFilter(filter, asElement(element), attribute)) found.push(i);
  return found;
}

// The element of a multi-valued attribute without sub-attributes is its `value` (asElement).
const attributeOf = (def: AttributeDef) => (name: string) =>
  !def.subAttributes && name.toLowerCase() === "value" ? def : findSubAttribute(def, name);

/**
 * RFC 7643 §2.2 immutable, per element (§4.2: "While values MAY be added or removed, sub-attributes of members
 * are immutable"): an immutable sub-attribute an element has cannot be changed or cleared. Setting it where it
 * is unassigned, and adding, removing or replacing whole elements, stay allowed.
 */
function checkEdit(def: AttributeDef, before: unknown, after: unknown): Result<void> {
  for (const sub of immutableSubsOf(def)) {
    const was = isObject(before) ? getKey(before, sub.name) : undefined;
    if (was === undefined || deepEqual(was, isObject(after) ? getKey(after, sub.name) : undefined)) continue;
    const detail = `Attribute "${def.name}.${sub.name}" is immutable: a value's ${sub.name} cannot be changed or removed, only the whole value.`;
    return fail(badRequest("mutability", detail));
  }
  return ok(undefined);
}

// Per definition: most have none (the standard User has none), and then there is nothing to compare.
const immutableSubs = new WeakMap<AttributeDef, AttributeDef[]>();

function immutableSubsOf(def: AttributeDef): AttributeDef[] {
  let subs = immutableSubs.get(def);
  if (!subs) immutableSubs.set(def, (subs = (def.subAttributes ?? []).filter((sub) => sub.mutability === "immutable")));
  return subs;
}

/** Replaces `elements[i]` by `edit` of it, when checkEdit allows. */
export function editAt(def: AttributeDef, elements: unknown[], i: number, edit: (element: JsonObject) => JsonObject): Result<void> {
  const next = edit(asElement(elements[i]));
  const allowed = checkEdit(def, elements[i], next);
  if (allowed.ok) elements[i] = next;
  return allowed;
}

