-- unicode-fold.ts's table, for SQL: each non-ASCII letter whose case-folded form differs from it. Ordering
-- comparisons and sortBy on case-insensitive attributes fold whole values through it (sql-fold.ts), since
-- SQLite's lower() folds ASCII only and bun:sqlite cannot register a function. Filled by the migration's
-- JavaScript step.
CREATE TABLE case_fold (
  ch TEXT PRIMARY KEY,
  folded TEXT NOT NULL
) STRICT, WITHOUT ROWID;
