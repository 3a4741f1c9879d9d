import type { AttributeDef } from "../schema/types.ts";
import { isObject, type JsonObject } from "./json.ts";

export const findSubAttribute = (def: AttributeDef, name: string): AttributeDef | undefined => {
  const lower = name.toLowerCase();
  return def.subAttributes?.find((sub) => sub.name.toLowerCase() === lower);
};

/** `null`, `""`, `{}` and `[]` all mean "unassigned" (RFC 7643 §2.5; entra.md: `""` or `null` clears). */
export const isEmptyValue = (value: unknown): boolean =>
  value === null ||
  value === "" ||
  (Array.isArray(value) && value.length === 0) ||
  (isObject(value) && Object.keys(value).length === 0);

/**
 * Brings one value (one element, for a multi-valued attribute) into the shape `def` declares, the way
 * real clients get it wrong: "True"/"False" strings for booleans, a bare id for a complex attribute with
 * a `value` sub-attribute (Entra's `manager`), sub-attribute names in any case, explicit nulls, unknown keys.
 * Anything it cannot fix is left for schema validation to reject.
 */
export function coerceValue(def: AttributeDef, value: unknown): unknown {
  if (def.type === "boolean" && typeof value === "string" && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === "true";
  }
  if (def.type !== "complex") return value;
  if ((typeof value === "string" || typeof value === "number") && findSubAttribute(def, "value")) {
    return value === "" ? null : { value };
  }
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, raw] of Object.entries(value)) {
    // A key that names no sub-attribute is dropped, as on POST (and `result.__proto__ = …` would set the prototype).
    const sub = findSubAttribute(def, key);
    if (!sub) continue;
    const coerced = coerceValue(sub, raw);
    if (coerced === undefined || isEmptyValue(coerced)) continue;
    result[sub.name] = coerced;
  }
  return result;
}

/** The elements a value for a multi-valued attribute stands for: one value or an array, empties dropped. */
export const coerceElements = (def: AttributeDef, value: unknown): unknown[] =>
  (Array.isArray(value) ? value : [value])
    .map((item) => coerceValue(def, item))
    .filter((item) => item !== undefined && !isEmptyValue(item));
