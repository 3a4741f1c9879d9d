// When two elements of a multi-valued attribute hold "the value" (RFC 7644 §3.5.2.1), as a string a Map can
// look up: equal but for `primary`, strings compared as their sub-attribute's caseExact says (RFC 7643 §2.3.1).
// And where each value of an array sits, so that appending needs no pass over the elements.
import type { AttributeDef } from "../schema/types.ts";
import { foldCase } from "../unicode-fold.ts";
import { findSubAttribute } from "./coerce.ts";
import { getKey, isObject } from "./json.ts";

/** A value as compared: strings case-folded unless caseExact, as filters fold them (unicode-fold.ts). */
export const comparable = (def: AttributeDef | undefined, value: unknown): unknown =>
  typeof value === "string" && !def?.caseExact ? foldCase(value) : value;

/** JSON with the keys of every object sorted and undefined members left out. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (!isObject(value)) return JSON.stringify(value) ?? "null";
  const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(",")}}`;
}

/** Equal strings for elements that hold the same value; `primary` says which value is preferred, not which it is. */
export function identityOf(def: AttributeDef, element: unknown): string {
  if (!isObject(element)) return stableJson(comparable(def, element));
  const compared: [string, unknown][] = [];
  for (const [key, value] of Object.entries(element)) {
    const sub = findSubAttribute(def, key);
    const name = sub?.name ?? key;
    if (name !== "primary" && value !== undefined) compared.push([name, comparable(sub, value)]);
  }
  return stableJson(compared.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** RFC 7643 §2.4: "The primary attribute value "true" MUST appear no more than once." */
export const setsPrimary = (value: unknown): boolean => isObject(value) && getKey(value, "primary") === true;

/** Where each value of an array sits (its first position), and which elements are primary. */
export interface Positions {
  byIdentity: Map<string, number>;
  primaries: Set<number>;
}

// Per array the PATCH owns, while appendElements is all that changed it (it keeps them up to date): one PATCH that
// appends n values then costs O(n), not O(n²). Whatever changes an array another way forgets its positions.
const known = new WeakMap<unknown[], Positions>();

export function positionsOf(def: AttributeDef, elements: unknown[]): Positions {
  let positions = known.get(elements);
  if (positions) return positions;
  positions = { byIdentity: new Map(), primaries: new Set() };
  for (const [i, element] of elements.entries()) {
    const identity = identityOf(def, element);
    if (!positions.byIdentity.has(identity)) positions.byIdentity.set(identity, i);
    if (setsPrimary(element)) positions.primaries.add(i);
  }
  known.set(elements, positions);
  return positions;
}

export const forgetPositions = (elements: unknown[]): void => {
  known.delete(elements);
};
