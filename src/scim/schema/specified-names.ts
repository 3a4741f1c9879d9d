import { isPlainObject } from "./coerce.ts";

/**
 * The attribute names a POST or PUT body specifies, for RFC 7643 §2.4 "request": "returned in response to any
 * PUT, POST, or PATCH operations if the attribute was specified by the client". Every key is listed in each
 * notation it could stand for (`urn:…:User` + `hint` as `urn:…:User:hint`, `name` + `givenName` as
 * `name.givenName`, and on to `urn:…:User:building.code`); the projection resolves them against the schemas and
 * ignores what names nothing. A key whose value is null, "" or [] is specified too: it clears the attribute (as
 * on input everywhere, coerce.ts isAbsent), so the answer has no value to show for it.
 */
export function namesInBody(body: unknown): string[] {
  const names = new Set<string>();
  if (isPlainObject(body)) for (const [key, value] of Object.entries(body)) if (key.toLowerCase() !== "schemas") addNames(names, key, value, 0);
  return [...names];
}

/** `name` and, down to a sub-attribute of an extension attribute (depth 2), the keys of its value. */
export function addNames(names: Set<string>, name: string, value: unknown, depth: number): void {
  names.add(name);
  if (depth >= 2) return;
  for (const key of keysOf(value)) {
    // After an extension URN the next step is ":attr"; after an attribute it is ".subAttr".
    if (depth === 0) addNames(names, `${name}:${key}`, valueAt(value, key), depth + 1);
    names.add(`${name}.${key}`);
  }
}

/** The keys of an object, or of the objects in a multi-valued attribute's elements. */
function keysOf(value: unknown): Set<string> {
  const objects = Array.isArray(value) ? value.filter(isPlainObject) : isPlainObject(value) ? [value] : [];
  return new Set(objects.flatMap((o) => Object.keys(o)));
}

const valueAt = (value: unknown, key: string): unknown => (isPlainObject(value) ? value[key] : undefined);
