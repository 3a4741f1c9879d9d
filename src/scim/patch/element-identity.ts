// When two elements of a multi-valued attribute hold "the value" (RFC 7644 §3.5.2.1), as a string a Map can
// look up: equal but for `primary`, strings compared as their sub-attribute's caseExact says (RFC 7643 §2.3.1).
import type { AttributeDef } from "../schema/types.ts";
import { findSubAttribute } from "./coerce.ts";
import { isObject } from "./json.ts";

const comparable = (def: AttributeDef | undefined, value: unknown): unknown =>
  typeof value === "string" && !def?.caseExact ? value.toLowerCase() : value;

/** JSON with the keys of every object sorted and undefined members left out. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (!isObject(value)) return JSON.stringify(value) ?? "null";
  const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(",")}}`;
}

/** Equal strings for elements that hold the same value; `primary` says which value is preferred, not which it is. */
export function identityOf(def: AttributeDef, element: unknown): string {
  if (!isObject(element)) return stableJson(comparable(def, element));
  const compared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(element)) {
    const sub = findSubAttribute(def, key);
    const name = sub?.name ?? key;
    if (name !== "primary") compared[name] = comparable(sub, value);
  }
  return stableJson(compared);
}
