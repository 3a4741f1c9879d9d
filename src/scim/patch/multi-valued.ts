import { badRequest, fail, ok, type Result } from "../../errors.ts";
import type { FilterNode } from "../filter/ast.ts";
import { matchesFilter } from "../filter/evaluate.ts";
import type { AttributeDef } from "../schema/types.ts";
import { coerceValue, findSubAttribute, isEmptyValue } from "./coerce.ts";
import { comparable, forgetPositions, identityOf, positionsOf, setsPrimary, stableJson } from "./element-identity.ts";
import { deleteKey, findKey, getKey, isObject, type JsonObject, setKey } from "./json.ts";

// Operations on the elements of one multi-valued attribute. add and replace change the array they are given in
// place: it is the PATCH's own copy (PatchContext.own), and copying it per operation made a PATCH of n operations
// cost O(n²) (found by a review pass). remove returns a new array.

const asElement = (element: unknown): JsonObject => (isObject(element) ? element : { value: element });

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

/**
 * Whether an element outlives normalization, which drops one without a `value` when the attribute has that
 * sub-attribute (schema/coerce.ts: "no such element"). Only a primary that stays may demote the others.
 */
const survives = (def: AttributeDef, element: unknown): boolean =>
  !isObject(element) || !findSubAttribute(def, "value") || !isEmptyValue(getKey(element, "value") ?? null);

const staysPrimary = (def: AttributeDef, element: unknown) => setsPrimary(element) && survives(def, element);

/** Sets `primary` false on every element but those at `keep`. */
function clearPrimaryExcept(elements: unknown[], keep: ReadonlySet<number>): void {
  for (const [i, element] of elements.entries()) {
    if (!keep.has(i) && setsPrimary(element)) elements[i] = { ...(element as JsonObject), primary: false };
  }
}

/**
 * add without a filter (§3.5.2.1): appends the values not present yet. "If the target location already contains
 * the value specified, no changes SHOULD be made": a value counts as present as identityOf says, and a present
 * value added again with `primary` takes that flag. O(added) once positionsOf knows the elements.
 */
export function appendElements(def: AttributeDef, elements: unknown[], added: unknown[]): unknown[] {
  const { byIdentity, primaries } = positionsOf(def, elements);
  const touched = new Set<number>();
  for (const element of added) {
    const identity = identityOf(def, element);
    const at = byIdentity.get(identity);
    if (at === undefined) {
      byIdentity.set(identity, elements.push(element) - 1);
      touched.add(elements.length - 1);
    } else if (takePrimary(elements, at, element)) {
      touched.add(at);
    }
  }
  for (const i of touched) {
    if (setsPrimary(elements[i])) primaries.add(i);
    else primaries.delete(i);
  }
  if (![...touched].some((i) => staysPrimary(def, elements[i]))) return elements;
  for (const i of primaries) {
    if (touched.has(i)) continue;
    elements[i] = { ...(elements[i] as JsonObject), primary: false };
    primaries.delete(i);
  }
  return elements;
}

/** Gives `elements[at]` the `primary` that `element` (the same value, added again) names; true when that changed it. */
function takePrimary(elements: unknown[], at: number, element: unknown): boolean {
  const named = isObject(element) ? getKey(element, "primary") : undefined;
  const existing = elements[at];
  if (typeof named !== "boolean" || !isObject(existing) || setsPrimary(existing) === named) return false;
  elements[at] = { ...existing, primary: named };
  return true;
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
  const touched = matchingIndexes(def, elements, filter);
  if (touched.length === 0) {
    if (!template) {
      const detail = `No "${def.name}" value matches the filter, and the filter does not describe a new one.`;
      return fail(badRequest("noTarget", detail));
    }
    touched.push(elements.push(update(template)) - 1);
  } else {
    for (const i of touched) elements[i] = update(asElement(elements[i]));
  }
  forgetPositions(elements);
  if (touched.some((i) => staysPrimary(def, elements[i]))) clearPrimaryExcept(elements, new Set(touched));
  return ok(elements);
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
 * remove with a value on a multi-valued attribute: the elements that match one of the listed values (generalises
 * Entra's members shape, entra.md "remove a member"). An element matches a listed object when it has each of the
 * object's sub-attributes with an equal value (strings as caseExact says). O(elements + listed): the listed values
 * are looked up by the sub-attributes they name, which few sets of names cover.
 */
export function removeListed(def: AttributeDef, elements: unknown[], listed: unknown[]): unknown[] {
  const wanted = new Map<string, { names: string[]; values: Set<string> }>();
  for (const item of listed) {
    const names = isObject(item) ? Object.keys(item).sort() : [];
    const key = names.join("\n");
    const group = wanted.get(key) ?? { names, values: new Set<string>() };
    group.values.add(projectionOf(def, item, names));
    wanted.set(key, group);
  }
  const groups = [...wanted.values()];
  const isListed = (element: unknown) =>
    groups.some(({ names, values }) => values.has(projectionOf(def, names.length ? asElement(element) : element, names)));
  return elements.filter((element) => !isListed(element));
}

/** The sub-attributes `names` of `element` as one string (the whole value when `names` is empty). */
function projectionOf(def: AttributeDef, element: unknown, names: readonly string[]): string {
  if (names.length === 0 || !isObject(element)) return identityOf(def, element);
  const part = (name: string) => {
    const key = findKey(element, name);
    return key === undefined ? `${name}!` : `${name}=${stableJson(comparable(findSubAttribute(def, name), element[key]))}`;
  };
  return names.map(part).join("\n");
}
