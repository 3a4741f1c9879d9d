import { badRequest, fail, ok, type Result } from "../../errors.ts";
import type { AttributeDef } from "./types.ts";

// Value coercion for one attribute of a POST/PUT body. `undefined` in a result means "absent".

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** null, "" and [] mean "no value" (entra.md "Create" and "Other shapes": `roles: []`, explicit nulls). */
export const isAbsent = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

const invalid = (path: string, expected: string) =>
  fail<unknown>(badRequest("invalidValue", `Attribute '${path}' must be ${expected}`));

// RFC 7643 §2.3.5: xsd:dateTime, e.g. 2008-01-23T04:56:22Z, optional fraction and offset.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Entra sends "True"/"False" for booleans; answer with JSON booleans. */
export const toBoolean = (v: unknown): boolean | undefined => {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return undefined;
};

function coerceScalar(def: AttributeDef, v: unknown, path: string): Result<unknown> {
  switch (def.type) {
    case "string":
    case "reference":
    case "binary":
      return typeof v === "string" ? ok(v) : invalid(path, "a string");
    case "boolean": {
      const b = toBoolean(v);
      return b === undefined ? invalid(path, "a boolean") : ok(b);
    }
    case "integer":
      return typeof v === "number" && Number.isInteger(v) ? ok(v) : invalid(path, "an integer");
    case "decimal":
      return typeof v === "number" && Number.isFinite(v) ? ok(v) : invalid(path, "a number");
    case "dateTime":
      return typeof v === "string" && DATE_TIME.test(v) && !Number.isNaN(Date.parse(v))
        ? ok(v)
        : invalid(path, "an ISO 8601 dateTime");
    case "complex":
      return coerceComplex(def, v, path);
  }
}

// Sub-attributes by lower-cased name, per definition: bodies name them in any case.
const subAttributeMaps = new WeakMap<AttributeDef, Map<string, AttributeDef>>();

function subAttributesOf(def: AttributeDef): Map<string, AttributeDef> {
  let map = subAttributeMaps.get(def);
  if (!map) subAttributeMaps.set(def, (map = new Map((def.subAttributes ?? []).map((s) => [s.name.toLowerCase(), s]))));
  return map;
}

function coerceComplex(def: AttributeDef, v: unknown, path: string): Result<unknown> {
  const subs = subAttributesOf(def);
  const valueDef = subs.get("value");
  // A bare value for a complex attribute with a `value` sub-attribute: `manager: "<id>"` (entra.md),
  // or a string element of `emails`.
  if (!isPlainObject(v)) {
    if (valueDef && typeof v !== "object") return coerceComplex(def, { value: v }, path);
    return invalid(path, "an object");
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(v)) {
    const sub = subs.get(key.toLowerCase());
    if (!sub || sub.mutability === "readOnly" || isAbsent(raw)) continue;
    const r = coerceValue(sub, raw, `${path}.${sub.name}`);
    if (!r.ok) return r;
    if (r.value !== undefined) out[sub.name] = r.value;
  }
  if (Object.keys(out).length === 0) return ok(undefined);
  // An element whose value is null means "no such element" (e.g. phoneNumbers [{type:"mobile", value:null}]).
  if (def.multiValued && valueDef && out.value === undefined) return ok(undefined);
  return ok(out);
}

/** Coerces a body value to the attribute's type; a single value of a multi-valued attribute becomes an array. */
export function coerceValue(def: AttributeDef, v: unknown, path: string): Result<unknown> {
  if (isAbsent(v)) return ok(undefined);
  if (!def.multiValued) {
    if (Array.isArray(v)) return invalid(path, "a single value");
    return coerceScalar(def, v, path);
  }
  const items: unknown[] = [];
  for (const element of Array.isArray(v) ? v : [v]) {
    if (isAbsent(element)) continue;
    if (Array.isArray(element)) return invalid(path, "an array of values");
    const r = coerceScalar(def, element, path);
    if (!r.ok) return r;
    if (r.value !== undefined) items.push(r.value);
  }
  // RFC 7643 §2.4: the primary attribute value "true" MUST appear no more than once.
  if (items.filter((i) => isPlainObject(i) && i.primary === true).length > 1) {
    return fail(badRequest("invalidValue", `Attribute '${path}' has more than one primary value`));
  }
  return ok(items.length ? items : undefined);
}

// Of a list of definitions, the ones missingRequired must look at: required ones, and complex ones with a
// required sub-attribute somewhere below. Most are neither, so most values need no walk (one list per schema).
const checkedDefs = new WeakMap<AttributeDef[], AttributeDef[]>();

const mayRequire = (def: AttributeDef): boolean =>
  (def.required === true && def.mutability !== "readOnly") || (def.type === "complex" && (def.subAttributes ?? []).some(mayRequire));

function defsToCheck(defs: AttributeDef[]): AttributeDef[] {
  let checked = checkedDefs.get(defs);
  if (!checked) checkedDefs.set(defs, (checked = defs.filter(mayRequire)));
  return checked;
}

/** Required sub-attributes of present complex values; top-level ones are checked by the caller. */
export function missingRequired(defs: AttributeDef[], obj: Record<string, unknown>, prefix: string): string | undefined {
  for (const def of defsToCheck(defs)) {
    const value = obj[def.name];
    // The path is spelt out only when it is returned or recursed into.
    if (def.required && def.mutability !== "readOnly" && value === undefined) return prefix ? `${prefix}.${def.name}` : def.name;
    if (def.type !== "complex" || value === undefined || !def.subAttributes) continue;
    for (const element of Array.isArray(value) ? value : [value]) {
      if (!isPlainObject(element)) continue;
      const missing = missingRequired(def.subAttributes, element, prefix ? `${prefix}.${def.name}` : def.name);
      if (missing) return missing;
    }
  }
  return undefined;
}
