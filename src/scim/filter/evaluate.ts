import { type AttrPath, attrPathToString, type CompareNode, type FilterNode } from "./ast.ts";
import { dateTimeComparison, parseDateTime } from "./datetime.ts";
import { JSON_NUMBER } from "./parser.ts";
import { foldCase } from "../unicode-fold.ts";
import type { AttributeDef } from "../schema/types.ts";

/**
 * The definition of the attribute a dotted path (any casing) names, for how its strings compare: case-exact
 * or not (RFC 7643 §2.2), as instants when it is a dateTime (§2.3.5). Unknown: a case-insensitive string.
 */
export type AttributeOf = (path: string) => Pick<AttributeDef, "type" | "caseExact"> | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 7643 §2.1: attribute names are case-insensitive. Own keys only: `toString pr` names nothing. */
function getKey(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

/** The attribute a path names, before any sub-attribute. */
function attributeAt(obj: Record<string, unknown>, path: AttrPath): unknown {
  if (path.uri === undefined) return getKey(obj, path.name);
  const ext = getKey(obj, path.uri);
  if (ext !== undefined) return getKey(ext, path.name);
  // A core schema URN names the top level; an extension's attributes live under its URN key.
  return /:core:/i.test(path.uri) ? getKey(obj, path.name) : undefined;
}

/**
 * The values a path names, one per element of a multi-valued attribute. Compared as a whole, a complex
 * value means its `value` sub-attribute (RFC 7644 §3.4.2.2); for `pr` it stays whole.
 */
function valuesAt(obj: Record<string, unknown>, path: AttrPath, whole = false): unknown[] {
  const attr = attributeAt(obj, path);
  const items = Array.isArray(attr) ? attr : [attr];
  if (path.subAttr !== undefined) return items.map((v) => getKey(v, path.subAttr ?? ""));
  return whole ? items : items.map((v) => (isObject(v) ? getKey(v, "value") : v));
}

/** RFC 7644 §3.4.2.2 pr: a non-empty value, or a complex value with a non-empty node. */
function isPresent(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return false;
  if (Array.isArray(v)) return v.some(isPresent);
  if (isObject(v)) return Object.values(v).some(isPresent);
  return true;
}

const asText = (node: CompareNode): string | undefined =>
  typeof node.value === "string" ? node.value : node.literal ?? (node.value === null ? undefined : String(node.value));

function compareOne(actual: unknown, node: CompareNode, def: ReturnType<AttributeOf>): boolean {
  const { op, value } = node;
  if (typeof actual === "boolean") {
    const wanted = typeof value === "string" ? value.toLowerCase() : value;
    return op === "eq" && (wanted === actual || wanted === String(actual));
  }
  if (typeof actual === "number") {
    const text = asText(node)?.trim();
    // Only a JSON number, as SQL takes it (sql-compare.ts): Number() would take "0x10" and "Infinity".
    const wanted = typeof value === "number" ? value : text && JSON_NUMBER.test(text) ? Number(text) : Number.NaN;
    return typeof value !== "boolean" && !Number.isNaN(wanted) && ordered(op, actual - wanted);
  }
  if (typeof actual !== "string") return false;
  const text = asText(node);
  if (text === undefined) return false;
  // As SQL compares them (sql-compare.ts): a string that merely looks like a date is still a string.
  if (def?.type === "dateTime" && op !== "co" && op !== "sw" && op !== "ew") {
    const a = parseDateTime(actual);
    const b = parseDateTime(text);
    if (!a || !b) return false;
    const c = dateTimeComparison(op, b);
    return "constant" in c ? c.constant : ordered(c.op, a.ms - c.ms);
  }
  const caseExact = def?.caseExact ?? false;
  const x = caseExact ? actual : foldCase(actual);
  const y = caseExact ? text : foldCase(text);
  if (op === "co") return x.includes(y);
  if (op === "sw") return x.startsWith(y);
  if (op === "ew") return x.endsWith(y);
  return ordered(op, x < y ? -1 : x > y ? 1 : 0);
}

function ordered(op: string, diff: number): boolean {
  switch (op) {
    case "eq":
      return diff === 0;
    case "gt":
      return diff > 0;
    case "ge":
      return diff >= 0;
    case "lt":
      return diff < 0;
    case "le":
      return diff <= 0;
    default:
      return false;
  }
}

/**
 * Evaluates a filter against one JSON object: a resource, or an element of a multi-valued attribute
 * (PATCH value paths). Strings compare case-insensitively unless `attributeOf` says otherwise.
 * A multi-valued attribute matches when any element does; `ne` matches when no element is equal.
 */
export function matchesFilter(node: FilterNode, obj: Record<string, unknown>, attributeOf: AttributeOf = () => undefined): boolean {
  switch (node.kind) {
    case "and":
      return matchesFilter(node.left, obj, attributeOf) && matchesFilter(node.right, obj, attributeOf);
    case "or":
      return matchesFilter(node.left, obj, attributeOf) || matchesFilter(node.right, obj, attributeOf);
    case "not":
      return !matchesFilter(node.filter, obj, attributeOf);
    case "present":
      return valuesAt(obj, node.path, true).some(isPresent);
    case "valuePath": {
      const prefix = attrPathToString(node.path);
      const inner: AttributeOf = (p) => attributeOf(`${prefix}.${p}`);
      const attr = attributeAt(obj, node.path);
      const elements = Array.isArray(attr) ? attr : [attr];
      return elements.some((e) => isObject(e) && matchesFilter(node.filter, e, inner));
    }
    case "compare": {
      if (node.value === null) {
        const present = valuesAt(obj, node.path, true).some(isPresent);
        return node.op === "ne" ? present : node.op === "eq" && !present;
      }
      const values = valuesAt(obj, node.path);
      const def = attributeOf(attrPathToString(node.path));
      if (node.op === "ne") return !values.some((v) => compareOne(v, { ...node, op: "eq" }, def));
      return values.some((v) => compareOne(v, node, def));
    }
  }
}
