// Numbered SQL migrations, embedded in the binary as text.
import m001 from "./sql/001_initial.sql" with { type: "text" };
import m003 from "./sql/003_request_log.sql" with { type: "text" };

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  { version: 1, name: "initial", sql: m001 },
  { version: 3, name: "request_log", sql: m003 },
];
