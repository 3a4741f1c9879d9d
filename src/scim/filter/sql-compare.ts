import { ScimError } from "../../errors.ts";
import type { AttributeDef } from "../schema/types.ts";
import type { CompareNode } from "./ast.ts";
import { dateTimeComparison, instantKey, parseDateTime } from "./datetime.ts";
import { instantKeyOf, invalidFilter, type Scalar, type SqlFragment, type SqlParam } from "./sql-targets.ts";
import { foldCase, type UnicodeFold, unicodeFold } from "../unicode-fold.ts";
import { foldSql } from "./sql-fold.ts";
import { JSON_NUMBER } from "./parser.ts";

const SQL_OPS = { eq: "=", ne: "<>", gt: ">", ge: ">=", lt: "<", le: "<=" } as const;
type OrderedOp = keyof typeof SQL_OPS;

const frag = (sql: string, params: SqlParam[] = []): SqlFragment => ({ sql, params });
const TRUE = frag("1");
const FALSE = frag("0");

/** RFC 7644 §3.4.2.2 pr: not null, not "", not an empty array or object. Never NULL itself. */
export function presentSql(x: Scalar): SqlFragment {
  if (!x.jsonType) return frag(x.notNull ? `(${x.expr} <> '')` : `(${x.expr} IS NOT NULL AND ${x.expr} <> '')`);
  const v = x.expr;
  return frag(
    `(CASE ${x.jsonType} WHEN 'null' THEN 0 WHEN 'text' THEN ${v} <> '' WHEN 'array' THEN ${v} <> '[]' ` +
      `WHEN 'object' THEN ${v} <> '{}' ELSE ${x.jsonType} IS NOT NULL END)`,
  );
}

/**
 * A comparison that is never NULL (so `not` is a true negation): a missing value makes it false,
 * except for `ne`, which RFC-readers expect to match resources without the attribute.
 */
function guarded(x: Scalar, op: string, cmp: string, params: SqlParam[]): SqlFragment {
  if (op === "ne") return frag(x.notNull ? cmp : `(${x.expr} IS NULL OR ${cmp})`, params);
  return frag(x.notNull ? cmp : `(${x.expr} IS NOT NULL AND ${cmp})`, params);
}

function ordered(x: Scalar, op: string, param: SqlParam): SqlFragment {
  if (!(op in SQL_OPS)) throw invalidFilter(`Operator '${op}' does not apply to ${x.def.type} attribute '${x.def.name}'`);
  return guarded(x, op, `${x.expr} ${SQL_OPS[op as OrderedOp]} ?`, [param]);
}

const textOf = (node: CompareNode): string =>
  typeof node.value === "string" ? node.value : node.literal ?? String(node.value);

function booleanOf(node: CompareNode, x: Scalar): number {
  const v = typeof node.value === "string" ? node.value.toLowerCase() : node.value;
  if (v === true || v === "true") return 1;
  if (v === false || v === "false") return 0;
  throw invalidFilter(`Attribute '${x.def.name}' is boolean: compare it with true or false`);
}

// A quoted number must be a JSON number too (RFC 7644 §3.4.2.2 compValue): Number() would take "0x10" and "Infinity".
function numberOf(node: CompareNode, x: Scalar): number {
  if (typeof node.value === "number") return node.value;
  const n = typeof node.value === "string" && JSON_NUMBER.test(node.value.trim()) ? Number(node.value) : Number.NaN;
  if (Number.isNaN(n)) throw invalidFilter(`Attribute '${x.def.name}' is numeric: '${textOf(node)}' is not a number`);
  return n;
}

function stringCompare(x: Scalar, op: string, text: string): SqlFragment {
  if ((op === "co" || op === "sw" || op === "ew") && text === "") return guarded(x, op, "1", []);
  const exact = x.def.caseExact;
  // Ordering needs every letter of the value folded, not only the ones the filter value has.
  if (!exact && !x.lowered && (op === "gt" || op === "ge" || op === "lt" || op === "le")) {
    return guarded(x, op, `${foldSql(x.expr)} ${SQL_OPS[op]} ?`, [foldCase(text)]);
  }
  const fold = exact || x.lowered ? undefined : unicodeFold(text);
  if (fold) return foldedCompare(x, op, fold);
  const col = exact || x.lowered ? x.expr : `lower(${x.expr})`;
  // Lowered columns hold the value folded in JS (nameKey), so the parameter is folded the same way (and the
  // index stays usable).
  const param = x.lowered && !exact ? foldCase(text) : text;
  const p = exact || x.lowered ? "?" : "lower(?)";
  return textCompare(x, op, col, [], p, param);
}

// instr/substr rather than LIKE: '%' and '_' in the value stay literal, and caseExact stays exact.
function textCompare(x: Scalar, op: string, col: string, colParams: SqlParam[], p: string, param: string): SqlFragment {
  if (op === "co") return guarded(x, op, `instr(${col}, ${p}) > 0`, [...colParams, param]);
  if (op === "sw") return guarded(x, op, `instr(${col}, ${p}) = 1`, [...colParams, param]);
  if (op === "ew") return guarded(x, op, `substr(${col}, -length(${p})) = ${p}`, [...colParams, param, param]);
  return guarded(x, op, `${col} ${SQL_OPS[op as OrderedOp]} ${p}`, [...colParams, param]);
}

// Each replacement nests one replace() in the SQL, and SQLite bounds an expression's depth at 1,000.
const MAX_REPLACEMENTS = 200;

/** A value with non-ASCII letters, compared case-insensitively: see unicode-fold.ts. */
function foldedCompare(x: Scalar, op: string, fold: UnicodeFold): SqlFragment {
  if (fold.replacements.length > MAX_REPLACEMENTS) {
    throw invalidFilter(`The value compared with '${x.def.name}' has too many different letters to compare case-insensitively`);
  }
  let col = `lower(${x.expr})`;
  for (let i = 0; i < fold.replacements.length; i++) col = `replace(${col}, ?, ?)`;
  return textCompare(x, op, col, fold.replacements.flat(), "?", fold.text);
}

/** SQL for one scalar compared with a value, typed by the attribute definition (RFC 7644 §3.4.2.2). */
export function compareSql(x: Scalar, node: CompareNode): SqlFragment {
  const { op } = node;
  if (node.value === null) {
    if (op === "eq") return frag(`NOT ${presentSql(x).sql}`);
    if (op === "ne") return presentSql(x);
    throw invalidFilter(`Operator '${op}' cannot compare with null`);
  }
  switch (x.def.type) {
    case "boolean":
      if (op !== "eq" && op !== "ne") throw invalidFilter(`Operator '${op}' does not apply to boolean attribute '${x.def.name}'`);
      return ordered(x, op, booleanOf(node, x));
    case "integer":
    case "decimal":
      return ordered(x, op, numberOf(node, x));
    case "complex":
      throw invalidFilter(`Attribute '${x.def.name}' is complex: name a sub-attribute`);
    case "dateTime": {
      if (op === "co" || op === "sw" || op === "ew") return stringCompare(x, op, textOf(node));
      const parsed = parseDateTime(textOf(node));
      if (!parsed) throw invalidFilter(`'${textOf(node)}' is not a valid dateTime for '${x.def.name}'`);
      // Text kept as the client wrote it may hold digits past the millisecond (.NET writes seven): compared exactly.
      if (x.jsonType !== undefined) return ordered(instantKeyOf(x), op, instantKey(parsed));
      const c = dateTimeComparison(op, parsed);
      if ("constant" in c) return c.constant ? TRUE : FALSE;
      return ordered(x, c.op, c.iso);
    }
    default:
      return stringCompare(x, op, textOf(node));
  }
}

/**
 * The 400 invalidFilter compareSql gives comparing an attribute `def` with `node` (a value of the wrong type, an
 * operator the type has not), without a query: for filters matched outside SQL (PATCH value filters), so that
 * they refuse what a GET filter refuses.
 */
export function comparisonError(def: AttributeDef, node: CompareNode): ScimError | undefined {
  try {
    compareSql({ kind: "scalar", def, expr: "NULL" }, node);
    return undefined;
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
}
