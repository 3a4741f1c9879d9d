// Migration 8's JavaScript step: the provisioning log's resource_name_key holds lower(resource_name), which folds
// ASCII only; names with other letters get the fold userName keys use (store/name-key.ts). Few entries hold such
// a name, and only they are read and rewritten, each by its id.
import type { Database } from "bun:sqlite";
import { nameKey } from "../store/name-key";

export function foldLogResourceNames(db: Database): void {
  const beyondAscii = db.query("SELECT id, resource_name AS name FROM request_log WHERE resource_name GLOB '*[^ -~]*'");
  const update = db.query("UPDATE request_log SET resource_name_key = ?1 WHERE id = ?2");
  for (const { id, name } of beyondAscii.all() as { id: number; name: string }[]) update.run(nameKey(name), id);
}
