// remove (RFC 7644 §3.5.2.2) on the elements of a multi-valued attribute: each returns a new array.
import { ok, type Result } from "../../errors.ts";
import type { FilterNode } from "../filter/ast.ts";
import type { AttributeDef } from "../schema/types.ts";
import { findSubAttribute, isEmptyValue } from "./coerce.ts";
import { asElement, editAt, matchingIndexes } from "./element-edit.ts";
import { comparable, identityOf, stableJson } from "./element-identity.ts";
import { deleteKey, findKey, isObject, type JsonObject } from "./json.ts";

/** remove through a value filter (§3.5.2.2): the matched elements, or a sub-attribute of each. */
export function removeFiltered(
  def: AttributeDef,
  elements: unknown[],
  filter: FilterNode,
  sub: AttributeDef | undefined,
): Result<unknown[]> {
  const matched = matchingIndexes(def, elements, filter);
  if (!sub) {
    const gone = new Set(matched);
    return ok(elements.filter((_, i) => !gone.has(i)));
  }
  return removeSubAt(def, [...elements], matched, sub);
}

/** remove of `emails.display` (no filter): the sub-attribute of every element. */
export const removeEverySub = (def: AttributeDef, elements: unknown[], sub: AttributeDef): Result<unknown[]> =>
  removeSubAt(def, [...elements], [...elements.keys()], sub);

function removeSubAt(def: AttributeDef, elements: unknown[], at: number[], sub: AttributeDef): Result<unknown[]> {
  for (const i of at) {
    if (!isObject(elements[i])) continue;
    const edited = editAt(def, elements, i, (element) => {
      const next = { ...element };
      deleteKey(next, sub.name);
      return next;
    });
    if (!edited.ok) return edited;
  }
  return ok(elements.filter((element) => !isEmptyValue(element)));
}

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
