import { badRequest, fail, ok, type Result } from "../../errors.ts";
import type { FilterNode } from "../filter/ast.ts";
import { matchesFilter } from "../filter/evaluate.ts";
import type { AttributeDef } from "../schema/types.ts";
import { coerceValue, findSubAttribute, isEmptyValue } from "./coerce.ts";
import { deepEqual, deleteKey, getKey, isObject, type JsonObject, setKey } from "./json.ts";

// Operations on the elements of one multi-valued attribute. Each takes the current elements and
// returns new ones; the array passed in is never modified.

const asElement = (element: unknown): JsonObject => (isObject(element) ? element : { value: element });

export const matchingIndexes = (def: AttributeDef, elements: unknown[], filter: FilterNode): number[] =>
  elements.flatMap((element, i) => (matchesFilter(filter, asElement(element), attributeOf(def)) ? [i] : []));

// The element of a multi-valued attribute without sub-attributes is its `value` (asElement).
const attributeOf = (def: AttributeDef) => (name: string) =>
  !def.subAttributes && name.toLowerCase() === "value" ? def : findSubAttribute(def, name);

/**
 * The element a filter describes, when it is `sub eq value` comparisons joined by `and`:
 * `phoneNumbers[type eq "mobile"]` → `{type: "mobile"}`. Undefined for any other filter.
 */
export function templateOf(def: AttributeDef, filter: FilterNode): JsonObject | undefined {
  if (filter.kind === "and") {
    const left = templateOf(def, filter.left);
    const right = templateOf(def, filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  if (filter.kind !== "compare" || filter.op !== "eq" || filter.path.subAttr !== undefined) return undefined;
  const sub = findSubAttribute(def, filter.path.name);
  if (!sub || sub.type === "complex" || filter.value === null) return undefined;
  return { [sub.name]: coerceValue(sub, filter.value) };
}

/** RFC 7643 §2.4: "The primary attribute value "true" MUST appear no more than once." */
export const setsPrimary = (value: unknown): boolean => isObject(value) && getKey(value, "primary") === true;

export const clearPrimaryExcept = (elements: unknown[], keep: ReadonlySet<number>): unknown[] =>
  elements.map((element, i) =>
    !keep.has(i) && isObject(element) && getKey(element, "primary") === true ? { ...element, primary: false } : element,
  );

/** add without a filter: append, skipping values already present (§3.5.2.1). */
export function appendElements(current: unknown[], added: unknown[]): unknown[] {
  const result = [...current];
  const fresh = new Set<number>();
  for (const element of added) {
    if (result.some((existing) => deepEqual(existing, element))) continue;
    fresh.add(result.push(element) - 1);
  }
  return [...fresh].some((i) => setsPrimary(result[i])) ? clearPrimaryExcept(result, fresh) : result;
}

/**
 * add/replace through a value filter (§3.5.2.3). When no element matches and the filter describes
 * one, it is created (entra.md: `phoneNumbers[type eq "mobile"].value` on a user without a mobile
 * number); otherwise that is the RFC's 400 noTarget.
 */
export function setFiltered(
  def: AttributeDef,
  elements: unknown[],
  filter: FilterNode,
  sub: AttributeDef | undefined,
  value: unknown,
  merge: boolean,
): Result<unknown[]> {
  const coerced = sub ? coerceValue(sub, value) : coerceValue(def, value);
  if (!sub && !isObject(coerced)) {
    return fail(badRequest("invalidValue", `The value for a "${def.name}[...]" path must be an object.`));
  }
  const template = templateOf(def, filter);
  const update = (element: JsonObject): JsonObject => {
    if (sub) {
      const next = { ...element };
      setKey(next, sub.name, coerced);
      return next;
    }
    return merge ? { ...element, ...(coerced as JsonObject) } : { ...template, ...(coerced as JsonObject) };
  };
  let result = [...elements];
  let touched = matchingIndexes(def, elements, filter);
  if (touched.length === 0) {
    if (!template) {
      const detail = `No "${def.name}" value matches the filter, and the filter does not describe a new one.`;
      return fail(badRequest("noTarget", detail));
    }
    touched = [result.push(update(template)) - 1];
  } else {
    for (const i of touched) result[i] = update(asElement(result[i]));
  }
  if (touched.some((i) => setsPrimary(result[i]))) result = clearPrimaryExcept(result, new Set(touched));
  return ok(result);
}

/** remove through a value filter (§3.5.2.2): the matched elements, or a sub-attribute of each. */
export function removeFiltered(
  def: AttributeDef,
  elements: unknown[],
  filter: FilterNode,
  sub: AttributeDef | undefined,
): unknown[] {
  const matched = new Set(matchingIndexes(def, elements, filter));
  if (!sub) return elements.filter((_, i) => !matched.has(i));
  return elements
    .map((element, i) => (matched.has(i) ? withoutSub(element, sub) : element))
    .filter((element) => !isEmptyValue(element));
}

export const withoutSub = (element: unknown, sub: AttributeDef): unknown => {
  if (!isObject(element)) return element;
  const next = { ...element };
  deleteKey(next, sub.name);
  return next;
};

/**
 * remove with a value on a multi-valued attribute: the elements that match one of the listed values
 * (generalises Entra's members shape, entra.md "remove a member").
 */
export function removeListed(def: AttributeDef, elements: unknown[], listed: unknown[]): unknown[] {
  const matches = (element: unknown, item: unknown) => {
    if (!isObject(item)) return deepEqual(element, item);
    const el = asElement(element);
    return Object.entries(item).every(([key, wanted]) => {
      const sub = findSubAttribute(def, key);
      const have = getKey(el, key);
      if (typeof have === "string" && typeof wanted === "string" && !sub?.caseExact) {
        return have.toLowerCase() === wanted.toLowerCase();
      }
      return deepEqual(have, wanted);
    });
  };
  return elements.filter((element) => !listed.some((item) => matches(element, item)));
}
