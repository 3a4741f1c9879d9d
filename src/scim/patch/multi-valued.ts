// add and replace (RFC 7644 §3.5.2.1, §3.5.2.3) on the elements of one multi-valued attribute. They change the
// array they are given in place: it is the PATCH's own copy (PatchContext.own), and copying it per operation made
// a PATCH of n operations cost O(n²) (found by a review pass).

import { badRequest, fail, ok, type Result } from "../../errors.ts";
import type { FilterNode } from "../filter/ast.ts";
import type { AttributeDef } from "../schema/types.ts";
import { coerceValue, findSubAttribute, isEmptyValue } from "./coerce.ts";
import { asElement, editAt, matchingIndexes } from "./element-edit.ts";
import { forgetPositions, identityOf, positionsOf, setsPrimary } from "./element-identity.ts";
import { getKey, isObject, type JsonObject, setKey } from "./json.ts";

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
  } else if (sub || merge) {
    for (const i of touched) {
      const edited = editAt(def, elements, i, update);
      if (!edited.ok) return edited;
    }
  } else {
    // §3.5.2.3: "all matching record values SHALL be replaced": whole values, which immutability allows.
    for (const i of touched) elements[i] = update(asElement(elements[i]));
  }
  forgetPositions(elements);
  const primaries = touched.filter((i) => staysPrimary(def, elements[i])).length;
  // RFC 7643 §2.4, checked per operation as a value's own primaries are (§3.5.2: each operation compatible with the
  // schema): `primary` true set on several matched values would have a later operation decide which one stays.
  if (primaries > 1) return fail(badRequest("invalidValue", `The filter matches ${primaries} "${def.name}" values, and only one may be primary.`));
  if (primaries === 1) clearPrimaryExcept(elements, new Set(touched));
  return ok(elements);
}

/** replace of `emails.display` (no filter): the sub-attribute of every element, or a new element when there is none. */
export function setEverySub(def: AttributeDef, elements: unknown[], sub: AttributeDef, value: unknown): Result<unknown[]> {
  const coerced = coerceValue(sub, value);
  if (elements.length === 0) return ok([{ [sub.name]: coerced }]);
  forgetPositions(elements);
  for (const i of elements.keys()) {
    const edited = editAt(def, elements, i, (element) => ({ ...element, [sub.name]: coerced }));
    if (!edited.ok) return edited;
  }
  return ok(elements);
}

