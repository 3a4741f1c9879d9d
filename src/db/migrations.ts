// Numbered migrations: SQL embedded in the binary as text, and a JavaScript step where SQL cannot do the work.
import type { Database } from "bun:sqlite";
import m001 from "./sql/001_initial.sql" with { type: "text" };
import m002 from "./sql/002_credentials.sql" with { type: "text" };
import m003 from "./sql/003_request_log.sql" with { type: "text" };
import m004 from "./sql/004_tenant_schemas.sql" with { type: "text" };
import m005 from "./sql/005_nested_groups.sql" with { type: "text" };
import m007 from "./sql/007_user_active.sql" with { type: "text" };
import m008 from "./sql/008_request_log_ids.sql" with { type: "text" };
import m009 from "./sql/009_case_fold.sql" with { type: "text" };
import { fillCaseFold } from "./fill-case-fold";
import { refoldNameKeys } from "./refold-name-keys";

export interface Migration {
  version: number;
  name: string;
  sql?: string;
  /** What SQL cannot do, run after `sql` in the same transaction. */
  run?: (db: Database) => void;
}

export const migrations: Migration[] = [
  { version: 1, name: "initial", sql: m001 },
  { version: 2, name: "credentials", sql: m002 },
  { version: 3, name: "request_log", sql: m003 },
  { version: 4, name: "tenant_schemas", sql: m004 },
  { version: 5, name: "nested_groups", sql: m005 },
  { version: 6, name: "folded_name_keys", run: refoldNameKeys },
  { version: 7, name: "user_active", sql: m007 },
  { version: 8, name: "request_log_ids", sql: m008 },
  { version: 9, name: "case_fold", sql: m009, run: fillCaseFold },
];
