import { badRequest, fail, ok, type Result, ScimError } from "../../errors.ts";
import { parseAttrPathText } from "./parser.ts";
import { foldSql } from "./sql-fold.ts";
import { instantKeyOf, resolveTarget, type Scalar, type Constant, type SqlContext, valueDef } from "./sql-targets.ts";

const TEXT_TYPES = new Set(["string", "reference", "binary"]);

function sortable(x: Scalar | Constant): string {
  // Constants come from our own code (meta.resourceType), never from the request.
  if (x.kind === "constant") return `'${x.value.replaceAll("'", "''")}'`;
  const fold = TEXT_TYPES.has(x.def.type) && !x.def.caseExact && !x.lowered;
  return fold ? foldSql(x.expr) : instantOrdered(x).expr;
}

/**
 * A dateTime held in JSON sorts by its instantKey, the key filters compare it by, to any fraction (.NET writes seven
 * digits; SQLite's time functions keep three). Columns hold Date.toISOString(), whose text order is the time order.
 */
const instantOrdered = (x: Scalar): Scalar => (x.def.type === "dateTime" && x.jsonType !== undefined ? instantKeyOf(x) : x);

/** An ORDER BY expression, and whether it is an instantKey (text, or NULL: never a number). */
export interface SortKey {
  expr: string;
  instantKey: boolean;
}

const keyOf = (x: Scalar | Constant): SortKey => ({
  expr: sortable(x),
  instantKey: x.kind === "scalar" && instantOrdered(x) !== x,
});
const plain = (expr: string): SortKey => ({ expr, instantKey: false });

/** sortKeyOf's expression. */
export function sortToSql(ctx: SqlContext, sortBy: string): Result<string> {
  const key = sortKeyOf(ctx, sortBy);
  return key.ok ? ok(key.value.expr) : key;
}

/**
 * An ORDER BY expression for RFC 7644 §3.4.2.3 sortBy (no parameters, so it can be repeated).
 * A multi-valued attribute sorts by its primary element's value, else the first element's.
 * Missing values come out NULL: the caller puts them last ascending and first descending.
 */
export function sortKeyOf(ctx: SqlContext, sortBy: string): Result<SortKey> {
  const path = parseAttrPathText(sortBy.trim());
  if (!path) return fail(badRequest("invalidValue", `sortBy '${sortBy}' is not an attribute path`));
  try {
    const target = resolveTarget(ctx, path);
    switch (target.kind) {
      case "scalar":
        return ok(keyOf(target));
      case "constant":
        // Across types (a root search) the value tells the types apart; within one it is the same on every row
        // and orders nothing: the primary key's tie-break is the whole order. (As a literal in an ORDER BY,
        // SQLite would fold `('User') IS NULL` to 0 and read it as a column number.)
        return ok(ctx.alongside?.length ? keyOf(target) : plain(`${ctx.alias}.pk`));
      case "absent":
        // Checked as it would be where it exists: a complex attribute sorts by its value sub-attribute.
        if (target.def.type === "complex") valueDef(target.def);
        return ok(plain("NULL"));
      case "complex":
        return ok(keyOf(target.scope.element("value")));
      case "collection": {
        const { from, where, scope, order } = target.open((prefix) => `s${prefix}1`);
        const sub = target.sub ?? (target.def.type === "complex" ? "value" : undefined);
        const value = keyOf(scope.element(sub));
        const cond = where.length ? ` WHERE ${where.join(" AND ")}` : "";
        return ok({ ...value, expr: `(SELECT ${value.expr} FROM ${from}${cond} ORDER BY ${order ?? value.expr} LIMIT 1)` });
      }
    }
  } catch (e) {
    if (e instanceof ScimError) return fail(badRequest("invalidValue", `sortBy: ${e.detail}`));
    throw e;
  }
}
