// A whole value case-folded in SQL, as foldCase (unicode-fold.ts) folds it in JavaScript, for what needs the
// folded value itself rather than a match: ordering comparisons (gt, ge, lt, le) and sortBy on case-insensitive
// attributes (RFC 7643 §2.2 caseExact false). ASCII-only values take plain lower(); a value with any other
// character is folded one character at a time through the case_fold table (migration 9), which costs more,
// but only for those values. Columns already holding a folded key (userName, a group's displayName) need none.

/** `expr` is SQL without parameters; it appears three times. */
export function foldSql(expr: string): string {
  const each =
    `(WITH RECURSIVE c(i, s) AS (SELECT 1, ${expr} UNION ALL SELECT i + 1, s FROM c WHERE i < length(s)) ` +
    "SELECT group_concat(coalesce((SELECT f.folded FROM case_fold f WHERE f.ch = substr(s, i, 1)), lower(substr(s, i, 1))), '' ORDER BY i) FROM c)";
  return `iif(${expr} GLOB '*[^ -~]*', ${each}, lower(${expr}))`;
}
