// A search at the tenant root spans Users and Groups as one list (RFC 7644 §3.4.3). An attribute that only one
// type has is, on the other, an attribute without a value (§3.4.2.1): filters and sortBy treat it so. A query
// is refused only when it is invalid for every type.
import { inOneRead } from "../../db/transactions";
import { ScimError, badRequest } from "../../errors";
import type { ListParams } from "../../scim/list-params";
import type { ResourceTypeName } from "../../scim/schema/registry";
import { LIST_RESPONSE_SCHEMA } from "../../scim/schema/types";
import type { Services } from "../../services";
import type { BaseRow } from "../../store/resource-meta";
import { count, nestsGroupsOf, type Query, type RootSide, select, sortExpression, type Where, whereOf } from "../resources/list";
import { statement } from "../resources/statements";

interface Part {
  side: RootSide;
  q: Query;
  total: number;
}

const NO_WHERE: Where = { sql: "", params: [] };

/** The side's query, or the error that makes it invalid for this type. */
function compile(side: RootSide, tenant: string, params: ListParams, all: ResourceTypeName[]): Query | ScimError {
  const alongside = all.filter((t) => t !== side.resourceType);
  const nestsGroups = nestsGroupsOf(side.source, tenant);
  try {
    return {
      where: whereOf(side.registry, side.resourceType, params.filter, nestsGroups, alongside),
      expr: sortExpression(side.registry, side.resourceType, params.sortBy, nestsGroups, alongside),
      descending: params.sortOrder === "descending",
    };
  } catch (error) {
    if (error instanceof ScimError && (error.scimType === "invalidFilter" || error.scimType === "invalidValue")) return error;
    throw error;
  }
}

/** Without sortBy: every User (in creation order), then every Group; the page is read from where it falls. */
function concatenated(parts: Part[], tenant: string, params: ListParams): Record<string, unknown>[] {
  const resources: Record<string, unknown>[] = [];
  let skip = params.startIndex - 1;
  for (const { side, q, total } of parts) {
    const wanted = params.count - resources.length;
    if (wanted <= 0) break;
    if (skip >= total) {
      skip -= total;
      continue;
    }
    const rows = select<BaseRow>(side.source, tenant, q, NO_WHERE, "r.pk ASC", wanted, skip);
    resources.push(...rows.map(side.render));
    skip = 0;
  }
  return resources;
}

/**
 * With sortBy: the types' keys merged in one ordered query (RFC 7644 §3.4.2.3: no value last ascending,
 * first descending; equal keys by type, then creation), which yields only the page's (type, pk); SQLite's
 * sorter keeps no more than startIndex + count - 1 of those small rows. Then the page's rows are read.
 */
function merged(parts: Part[], tenant: string, params: ListParams): Record<string, unknown>[] {
  if (params.count === 0) return [];
  const dir = params.sortOrder === "descending" ? "DESC" : "ASC";
  const selects = parts.map(({ side, q }, i) => {
    const cond = q.where.sql ? ` AND (${q.where.sql})` : "";
    return `SELECT ${i} AS part, r.pk AS pk, ${q.expr} AS k FROM ${side.source.table} r WHERE r.tenant_id = ?${cond}`;
  });
  const page = `LIMIT ${Math.trunc(params.count)} OFFSET ${Math.trunc(params.startIndex - 1)}`;
  const sql = `SELECT part, pk FROM (${selects.join(" UNION ALL ")}) ORDER BY k IS NULL ${dir}, k ${dir}, part ${dir}, pk ${dir} ${page}`;
  const keys = statement(parts[0].side.source.db, sql).all(...(parts.flatMap((p) => [tenant, ...p.q.where.params]) as never[])) as {
    part: number;
    pk: number;
  }[];
  const rendered = parts.map(({ side }, i) => {
    const pks = keys.filter((k) => k.part === i).map((k) => k.pk);
    if (pks.length === 0) return new Map<number, Record<string, unknown>>();
    const cols = side.source.columns.map((c) => `r.${c}`).join(", ");
    const byPk = `SELECT ${cols} FROM ${side.source.table} r WHERE r.tenant_id = ? AND r.pk IN (SELECT value FROM json_each(?))`;
    const rows = statement(side.source.db, byPk).all(tenant, JSON.stringify(pks)) as BaseRow[];
    return new Map(rows.map((row) => [row.pk, side.render(row)]));
  });
  // A row deleted between the two reads cannot be: both are one snapshot (inOneRead).
  return keys.flatMap((k) => {
    const resource = rendered[k.part].get(k.pk);
    return resource ? [resource] : [];
  });
}

export function searchAcross(services: Services, tenant: string, params: ListParams) {
  if (params.cursor !== undefined) throw badRequest("invalidValue", "cursor paging is offered per resource type (/Users/.search, /Groups/.search)");
  const sides = [services.users.rootSide(tenant, params), services.groups.rootSide(tenant, params)];
  const types = sides.map((s) => s.resourceType);
  return inOneRead(services.db, () => {
    const compiled = sides.map((side) => ({ side, q: compile(side, tenant, params, types) }));
    const valid = compiled.filter((c): c is { side: RootSide; q: Query } => !(c.q instanceof ScimError));
    if (valid.length === 0) throw compiled[0].q;
    const parts = valid.map(({ side, q }) => ({ side, q, total: count(side.source, tenant, q.where) }));
    const resources = params.sortBy === undefined ? concatenated(parts, tenant, params) : merged(parts, tenant, params);
    return {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: parts.reduce((n, p) => n + p.total, 0),
      itemsPerPage: resources.length,
      startIndex: params.startIndex,
      Resources: resources,
    };
  });
}
