// Migration 9's JavaScript step: the case_fold table gets unicode-fold.ts's letters, so that SQL folds a value
// exactly as foldCase does in JavaScript.
import type { Database } from "bun:sqlite";
import { foldPairs } from "../scim/unicode-fold";

export function fillCaseFold(db: Database): void {
  const insert = db.query("INSERT INTO case_fold (ch, folded) VALUES (?1, ?2)");
  for (const [ch, folded] of foldPairs()) insert.run(ch, folded);
}
