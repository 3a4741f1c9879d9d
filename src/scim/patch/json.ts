// Small helpers over plain JSON values. The PATCH engine works on a copy and never on its input.
export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a).filter((key) => a[key] !== undefined);
  if (keys.length !== Object.keys(b).filter((key) => b[key] !== undefined).length) return false;
  return keys.every((key) => deepEqual(a[key], b[key]));
}

/**
 * The key of `obj` equal to `name` ignoring case (RFC 7643 §2.1: attribute names are case-insensitive). Own keys
 * only: a client's `constructor` or `__proto__` is no key of a JSON object just because Object.prototype has it.
 */
export const findKey = (obj: JsonObject, name: string): string | undefined => {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (sameName(key, name, lower)) return key;
  return undefined;
};

// Every setKey deletes before it sets: only keys of the same length are lower-cased (no character whose lower
// case is ASCII changes length, and attribute names are ASCII, RFC 7643 §2.1).
const sameName = (key: string, name: string, lower: string) => key.length === name.length && key.toLowerCase() === lower;

export const getKey = (obj: JsonObject, name: string): unknown => {
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
};

/**
 * Sets `name`, dropping any differently-cased spelling of it, so the stored key is the canonical one. `name` is a
 * schema's attribute name, never a client's key: assigning "__proto__" (no ATTRNAME, RFC 7643 §2.1) would set the
 * prototype.
 */
export const setKey = (obj: JsonObject, name: string, value: unknown): void => {
  deleteKey(obj, name);
  obj[name] = value;
};

/** Deletes every spelling of `name`; one pass over the keys, so it ends whatever `delete` does. */
export const deleteKey = (obj: JsonObject, name: string): void => {
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (sameName(key, name, lower)) delete obj[key];
};

/** The object at `keys` below `root`, created (or replaced, if not an object) along the way. */
export const ensureObject = (root: JsonObject, keys: readonly string[]): JsonObject => {
  let node = root;
  for (const key of keys) {
    const next = getKey(node, key);
    if (isObject(next)) {
      node = next;
    } else {
      const created: JsonObject = {};
      setKey(node, key, created);
      node = created;
    }
  }
  return node;
};

/** The object at `keys` below `root`, or undefined when any step is missing. */
export const findObject = (root: JsonObject, keys: readonly string[]): JsonObject | undefined => {
  let node: JsonObject | undefined = root;
  for (const key of keys) {
    const next: unknown = node === undefined ? undefined : getKey(node, key);
    node = isObject(next) ? next : undefined;
  }
  return node;
};

/** Drops the objects along `keys` that became empty, deepest first (an empty complex value is unassigned). */
export const pruneEmpty = (root: JsonObject, keys: readonly string[]): void => {
  for (let depth = keys.length; depth > 0; depth--) {
    const parent = findObject(root, keys.slice(0, depth - 1));
    const child = parent && getKey(parent, keys[depth - 1]);
    if (!parent || !isObject(child) || Object.keys(child).length > 0) return;
    deleteKey(parent, keys[depth - 1]);
  }
};
