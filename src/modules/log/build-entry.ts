// Turns what the recorder saw of one request into a log entry: classification, names, error detail, bodies.
import { classify } from "./classify";
import type { PendingEntry } from "./entry";
import { redactBody, redactHeaders } from "./redact";
import type { ScimTarget } from "./scim-target";

export interface RequestState {
  requestId: string;
  method: string;
  target: ScimTarget;
  capture: boolean;
  time: number;
  start: number;
  end?: number;
  requestClone?: Request;
  /** userName or displayName of /Users/{id} or /Groups/{id}, read from the database. */
  resourceName?: string | null;
  status?: number;
  location?: string | null;
  /** A clone of the answer, when its body is needed. */
  response?: Response;
  /** The handler's value when it was not a Response (admin-style JSON). */
  value?: unknown;
  clientIp?: string | null;
  userAgent?: string | null;
  headers?: Headers;
}

interface Body {
  text: string;
  json: unknown;
}

async function read(source: Request | Response | undefined): Promise<Body | undefined> {
  if (!source) return undefined;
  try {
    const text = await source.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { text, json };
  } catch {
    return undefined;
  }
}

function valueBody(value: unknown): Body | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return { text: value, json: undefined };
  return { text: JSON.stringify(value), json: value };
}

const field = (body: Body | undefined, name: string) => {
  const v = (body?.json as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" && v !== "" ? v : null;
};

export async function buildEntry(s: RequestState): Promise<PendingEntry> {
  const status = s.status ?? 500;
  // Strangers (401) do not get their bodies read or kept.
  const request = status === 401 ? undefined : await read(s.requestClone);
  const response = s.response ? await read(s.response) : valueBody(s.value);
  const c = classify({
    method: s.method,
    target: s.target,
    status,
    requestBody: request?.json,
    responseBody: response?.json,
    location: s.location,
  });
  const failed = status >= 400;
  return {
    tenantId: s.target.tenantId,
    time: s.time,
    requestId: s.requestId,
    method: s.method,
    path: s.target.path,
    operation: c.operation,
    resourceType: c.resourceType,
    resourceId: c.resourceId,
    resourceName: c.resourceName ?? s.resourceName ?? null,
    status,
    scimType: failed ? field(response, "scimType") : null,
    detail: failed ? (field(response, "detail") ?? (status === 401 ? "authorization failed" : null)) : null,
    durationMs: Math.round(((s.end ?? s.start) - s.start) * 1000) / 1000,
    clientIp: s.clientIp ?? null,
    userAgent: s.userAgent ?? null,
    requestHeaders: s.capture && s.headers ? redactHeaders(s.headers) : null,
    requestBody: s.capture && request ? redactBody(request.text, request.json) : null,
    responseBody: s.capture && status !== 401 && response ? redactBody(response.text, response.json) : null,
  };
}
