// Keyset condition: the rows strictly after (value, pk) in the order `(expr) IS NULL, expr, pk`, ascending or
// descending (see orderBy in list.ts: NULLs last ascending, first descending).
import type { Where } from "./list";

export function keysetCondition(expr: string, descending: boolean, value: string | number | null, pk: number): Where {
  if (expr === "r.pk") return { sql: descending ? "r.pk < ?" : "r.pk > ?", params: [pk] };
  const isNull = `(${expr}) IS NULL`;
  if (!descending) {
    if (value === null) return { sql: `${isNull} AND r.pk > ?`, params: [pk] };
    return { sql: `${isNull} OR ${expr} > ? OR (${expr} = ? AND r.pk > ?)`, params: [value, value, pk] };
  }
  if (value === null) return { sql: `(${isNull} AND r.pk < ?) OR NOT ${isNull}`, params: [pk] };
  return { sql: `NOT ${isNull} AND (${expr} < ? OR (${expr} = ? AND r.pk < ?))`, params: [value, value, pk] };
}
