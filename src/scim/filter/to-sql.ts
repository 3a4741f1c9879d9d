import { fail, ok, type Result, ScimError } from "../../errors.ts";
import type { AttributeDef } from "../schema/types.ts";
import type { AttrPath, CompareNode, FilterNode } from "./ast.ts";
import { attrPathToString } from "./ast.ts";
import { matchesFilter } from "./evaluate.ts";
import { compareSql, presentSql } from "./sql-compare.ts";
import {
  type Absent,
  type Collection,
  type CollectionTarget,
  type Constant,
  invalidFilter,
  resolveTarget,
  type Scalar,
  type Scope,
  type SqlContext,
  type SqlFragment,
  valueDef,
  valueSub,
} from "./sql-targets.ts";

export { sortToSql } from "./sql-sort.ts";
export type { SqlContext, SqlFragment, SqlParam } from "./sql-targets.ts";

const SQL_ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TRUE: SqlFragment = { sql: "1", params: [] };
const FALSE: SqlFragment = { sql: "0", params: [] };

const constantMatches = (c: Constant, node: CompareNode | undefined): boolean => {
  if (node === undefined) return c.value !== "";
  return matchesFilter({ ...node, path: { name: "v" } }, { v: c.value }, () => c.def);
};

/** Compiles one filter; aliases of subqueries are numbered per filter so nested ones never collide. */
class Compiler {
  private n = 0;
  constructor(private readonly ctx: SqlContext) {}
  private readonly fresh = (prefix: string) => `${prefix}${++this.n}`;

  node(node: FilterNode, scope?: Scope): SqlFragment {
    switch (node.kind) {
      case "and":
      case "or": {
        const l = this.node(node.left, scope);
        const r = this.node(node.right, scope);
        return { sql: `(${l.sql} ${node.kind.toUpperCase()} ${r.sql})`, params: [...l.params, ...r.params] };
      }
      case "not": {
        const inner = this.node(node.filter, scope);
        return { sql: `NOT (${inner.sql})`, params: inner.params };
      }
      case "valuePath":
        return this.valuePath(node.path, node.filter, scope);
      case "present":
        return this.leaf(node.path, undefined, scope);
      case "compare":
        return this.leaf(node.path, node, scope);
    }
  }

  /** A comparison (or `pr` when node is undefined) on a path at the top level or inside a value filter. */
  private leaf(path: AttrPath, node: CompareNode | undefined, scope?: Scope): SqlFragment {
    if (node?.value === null) {
      // RFC 7644 §3.4.2.2: `eq null` holds when the attribute has no value, `ne null` when it has one: the
      // question `pr` answers, for every kind of attribute (a complex one without a `value` sub-attribute too).
      const op = nullOp(node);
      const present = this.leaf(path, undefined, scope);
      return op === "eq" ? { sql: `NOT ${present.sql}`, params: present.params } : present;
    }
    if (scope) {
      if (path.uri !== undefined || path.subAttr !== undefined) {
        throw invalidFilter(`'${attrPathToString(path)}' inside '${scope.def.name}[…]' must name a sub-attribute`);
      }
      return this.scalar(scope.element(path.name), node);
    }
    const target = resolveTarget(this.ctx, path);
    switch (target.kind) {
      case "scalar":
      case "constant":
        return this.scalar(target, node);
      case "complex":
        if (!node) return presentSql(target.whole);
        return this.scalar(target.scope.element(valueSub(target.def)), node);
      case "collection":
        return this.collection(target, node);
      case "absent":
        return absent(target, node);
    }
  }

  /**
   * RFC 7644 §3.4.2.2: a multi-valued attribute matches when any of its values does. `ne` and `eq null`
   * hold when no value is equal (or present), which includes resources without the attribute.
   */
  private collection(target: CollectionTarget, node: CompareNode | undefined): SqlFragment {
    if (!node && target.sub === undefined) return this.exists(target, () => TRUE);
    const sub = target.sub ?? (target.def.type === "complex" ? valueSub(target.def) : undefined);
    const present = (s: Scope) => this.scalar(s.element(sub), undefined);
    if (!node) return this.exists(target, present);
    const equal = node.op === "ne" ? { ...node, op: "eq" as const } : node;
    return this.exists(target, (s) => this.scalar(s.element(sub), equal), node.op === "ne");
  }

  private scalar(target: Scalar | Constant, node: CompareNode | undefined): SqlFragment {
    if (target.kind === "scalar") return node ? compareSql(target, node) : presentSql(target);
    return constantMatches(target, node) ? TRUE : FALSE;
  }

  private exists(c: Collection, inner: (s: Scope) => SqlFragment, negate = false): SqlFragment {
    const { from, where, scope } = c.open(this.fresh);
    const cond = inner(scope);
    const sql = `EXISTS (SELECT 1 FROM ${from} WHERE ${[...where, cond.sql].join(" AND ")})`;
    return { sql: negate ? `NOT ${sql}` : sql, params: cond.params };
  }

  /** RFC 7644 §3.4.2.2 valuePath: the inner filter must hold for one and the same element. */
  private valuePath(path: AttrPath, filter: FilterNode, scope?: Scope): SqlFragment {
    if (scope) throw invalidFilter("Value filters cannot be nested");
    const target = resolveTarget(this.ctx, path);
    if (target.kind === "collection" && target.sub === undefined) {
      return this.exists(target, (s) => this.node(filter, s));
    }
    if (target.kind === "complex") {
      // Without a value there is no element to match, whatever the inner filter says of missing sub-attributes.
      const present = presentSql(target.whole);
      const inner = this.node(filter, target.scope);
      return { sql: `(${present.sql} AND ${inner.sql})`, params: [...present.params, ...inner.params] };
    }
    // No value, so no element to match (RFC 7644 §3.4.2.1).
    if (target.kind === "absent") return FALSE;
    throw invalidFilter(`'${attrPathToString(path)}[…]' needs a complex attribute`);
  }
}

/**
 * An attribute the resource type does not have, in a search across types: it has no value (RFC 7644 §3.4.2.1),
 * so `pr` is false (`eq null` true), `ne` true and every other comparison false. A comparison that would be
 * refused where the attribute exists is refused here too, so a wrong filter stays a 400.
 */
function absent(target: Absent, node: CompareNode | undefined): SqlFragment {
  if (!node) return FALSE;
  const def = target.def.type === "complex" ? valueDef(target.def) : target.def;
  compareSql({ kind: "scalar", def, expr: "NULL" }, node);
  return node.op === "ne" ? TRUE : FALSE;
}

function nullOp(node: CompareNode): "eq" | "ne" {
  if (node.op !== "eq" && node.op !== "ne") throw invalidFilter(`Operator '${node.op}' cannot compare with null`);
  return node.op;
}

/**
 * Turns a parsed filter into a parameterised SQLite condition on the main table `ctx.alias`.
 * Attribute names reach SQL only as canonical names from the registry; values only as `?` parameters.
 * The caller adds the tenant condition.
 */
export function filterToSql(node: FilterNode, ctx: SqlContext): Result<SqlFragment> {
  if (!SQL_ALIAS.test(ctx.alias)) throw new Error(`invalid SQL alias ${ctx.alias}`);
  try {
    return ok(new Compiler(ctx).node(node));
  } catch (e) {
    if (e instanceof ScimError) return fail(e);
    throw e;
  }
}
