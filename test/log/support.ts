// Test helpers for the provisioning log: wait until every answered request is in the database.
import type { Services } from "../../src/services";
import type { PendingEntry } from "../../src/modules/log/entry";
import type { LogEntry, LogEntryWithBodies } from "../../src/modules/log/model";
import type { Harness } from "../support/harness";

/** Entries whose bodies are still being read are waited for; then the buffer is written. */
export async function settle(services: Services) {
  await services.requestLog.writer.settle();
}

export async function entries(h: Harness, query = ""): Promise<LogEntry[]> {
  await settle(h.services);
  const res = await h.admin("GET", `/log${query}`);
  if (res.status !== 200) throw new Error(`GET /log${query}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { entries: LogEntry[] }).entries;
}

export async function entryWithBodies(h: Harness, id: number): Promise<LogEntryWithBodies> {
  const res = await h.admin("GET", `/log/${id}`);
  if (res.status !== 200) throw new Error(`GET /log/${id}: ${res.status}`);
  return (await res.json()) as LogEntryWithBodies;
}

export const rowCount = (services: Services) =>
  (services.db.query("SELECT count(*) AS n FROM request_log").get() as { n: number }).n;

export const GUID = "9b2c1c44-3e0f-4b9c-9d0c-2f1b2b7c6c11";
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const patchOp = (...ops: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations: ops });

/** An entry as the recorder would build it, for tests that need traffic at chosen times. */
export function syntheticEntry(tenantId: string, fields: Partial<PendingEntry> = {}): PendingEntry {
  return {
    tenantId,
    time: Date.now(),
    requestId: crypto.randomUUID(),
    method: "GET",
    path: `/scim/v2/${tenantId}/Users`,
    operation: "list",
    resourceType: "User",
    resourceId: null,
    resourceName: null,
    status: 200,
    scimType: null,
    detail: null,
    durationMs: 1,
    clientIp: "127.0.0.1",
    userAgent: null,
    requestHeaders: null,
    requestBody: null,
    responseBody: null,
    ...fields,
  };
}
