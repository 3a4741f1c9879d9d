import type { LogEntry, LogEntryWithBodies, Operation } from "./model";

/** An entry as the recorder builds it; `time` is epoch milliseconds until it is rendered. */
export interface PendingEntry {
  tenantId: string;
  time: number;
  requestId: string;
  method: string;
  path: string;
  operation: Operation;
  resourceType: string | null;
  resourceId: string | null;
  resourceName: string | null;
  status: number;
  scimType: string | null;
  detail: string | null;
  durationMs: number;
  clientIp: string | null;
  userAgent: string | null;
  requestHeaders: string | null;
  requestBody: string | null;
  responseBody: string | null;
}

export interface StoredEntry extends PendingEntry {
  id: number;
}

export const isFailure = (status: number) => status >= 400;

export function toLogEntry(e: StoredEntry): LogEntry {
  return {
    id: e.id,
    tenantId: e.tenantId,
    time: new Date(e.time).toISOString(),
    requestId: e.requestId,
    method: e.method,
    path: e.path,
    operation: e.operation,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    resourceName: e.resourceName,
    status: e.status,
    scimType: e.scimType,
    detail: e.detail,
    durationMs: e.durationMs,
    clientIp: e.clientIp,
    userAgent: e.userAgent,
  };
}

export function toLogEntryWithBodies(e: StoredEntry): LogEntryWithBodies {
  return { ...toLogEntry(e), requestHeaders: e.requestHeaders, requestBody: e.requestBody, responseBody: e.responseBody };
}
