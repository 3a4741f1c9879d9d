// Shared by /Users and /Groups: filter → SQL, sort → SQL, exact count and a page (RFC 7644 §3.4.2).
import { badRequest } from "../../errors";
import { parseFilter } from "../../scim/filter/parser";
import { filterToSql, sortToSql } from "../../scim/filter/to-sql";
import type { ListParams } from "../../scim/list-params";
import type { ResourceTypeName, SchemaRegistry } from "../../scim/schema/registry";
import { LIST_RESPONSE_SCHEMA } from "../../scim/schema/types";
import type { BaseRow } from "../../store/resource-meta";

export interface Where {
  sql: string;
  params: unknown[];
}

export interface ListableStore<R extends BaseRow> {
  list(tenant: string, where: Where, order: string, limit: number, offset: number): R[];
  count(tenant: string, where: Where): number;
}

export function whereOf(registry: SchemaRegistry, resourceType: ResourceTypeName, filter: string | undefined): Where {
  if (!filter) return { sql: "", params: [] };
  const parsed = parseFilter(filter);
  if (!parsed.ok) throw parsed.error;
  const sql = filterToSql(parsed.value, { registry, resourceType, alias: "r" });
  if (!sql.ok) throw sql.error;
  return sql.value;
}

export function orderOf(registry: SchemaRegistry, resourceType: ResourceTypeName, params: ListParams): string {
  const direction = params.sortOrder === "descending" ? "DESC" : "ASC";
  if (!params.sortBy) return "r.pk ASC";
  const expr = sortToSql({ registry, resourceType, alias: "r" }, params.sortBy);
  if (!expr.ok) throw badRequest("invalidValue", expr.error.detail);
  // RFC 7644 §3.4.2.3: resources without the attribute sort last in ascending order, first in descending;
  // the primary key keeps the order stable across pages.
  return `(${expr.value}) IS NULL ${direction === "ASC" ? "ASC" : "DESC"}, ${expr.value} ${direction}, r.pk ${direction}`;
}

export function listPage<R extends BaseRow>(
  store: ListableStore<R>,
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  tenant: string,
  params: ListParams,
  render: (row: R) => Record<string, unknown>,
) {
  const where = whereOf(registry, resourceType, params.filter);
  const total = store.count(tenant, where);
  const rows = params.count === 0 ? [] : store.list(tenant, where, orderOf(registry, resourceType, params), params.count, params.startIndex - 1);
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    itemsPerPage: rows.length,
    startIndex: params.startIndex,
    Resources: rows.map(render),
  };
}
