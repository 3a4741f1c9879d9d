// Turns what the recorder saw of one request into a log entry: classification, names, error detail, bodies.
import { classify } from "./classify";
import type { PendingEntry } from "./entry";
import { redactBody, redactHeaders, redactPath } from "./redact";
import { type ScimTarget, scimTarget } from "./scim-target";
import type { BodyReader } from "./shared-body";

export interface RequestState {
  requestId: string;
  method: string;
  url: string;
  /** Where the request went; read from `url` only when something needs it (see targetOf). */
  target?: ScimTarget;
  /** Whether bodies and headers are captured: the tenant's setting, for requests the SCIM guard let in. */
  capture: boolean;
  /** Whether the SCIM auth guard let the request in; known once it is answered. */
  authenticated?: boolean;
  time: number;
  start: number;
  end?: number;
  requestBody?: BodyReader;
  /** The body as the handler parsed it, when it did: no second parse unless bodies are captured. */
  requestJson?: unknown;
  /** userName or displayName of /Users/{id} or /Groups/{id}, read from the database. */
  resourceName?: string | null;
  status?: number;
  location?: string | null;
  /** A clone of the answer, when its body is needed. */
  response?: Response;
  clientIp?: string | null;
  userAgent?: string | null;
  headers?: Headers;
  /** totalResults of a list answer, as its handler noted it. */
  listTotal?: number;
}

/** The request's target, read from its URL once; undefined for a URL that names no tenant. */
export function targetOf(s: RequestState): ScimTarget | undefined {
  s.target ??= scimTarget(s.url);
  return s.target;
}

interface Body {
  text: string;
  json: unknown;
}

function parsed(text: string): Body {
  try {
    return { text, json: text === "" ? undefined : JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
}

async function read(source: () => Promise<string>): Promise<Body | undefined> {
  try {
    return parsed(await source());
  } catch {
    return undefined;
  }
}

const field = (body: Body | undefined, name: string) => {
  const v = (body?.json as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" && v !== "" ? v : null;
};

// Strangers (401, unknown routes) do not get their bodies read or kept; nor do bodies refused as too large or
// not JSON.
const readsRequestBody = (s: RequestState) =>
  s.requestBody !== undefined && s.authenticated === true && s.status !== 413 && s.status !== 415;

/** The request body as the handler parsed it, when that is all the entry needs of it (bodies not captured). */
const parsedRequestBody = (s: RequestState): Body | undefined =>
  s.requestJson !== undefined && !s.capture ? { text: "", json: s.requestJson } : undefined;

/**
 * Whether building the entry must wait for a body still to be read. Most requests need none (GETs, DELETEs,
 * strangers), or only the one their handler parsed (PATCH, POST, PUT): their entry is built without a promise.
 */
export const needsBodies = (s: RequestState) => (readsRequestBody(s) && !parsedRequestBody(s)) || s.response !== undefined;

/** The entry of a request that needs no body still to be read (see needsBodies), built now. */
export function entryOf(s: RequestState): PendingEntry | undefined {
  const request = readsRequestBody(s) ? parsedRequestBody(s) : undefined;
  return buildEntry(s, request);
}

export async function buildEntryWithBodies(s: RequestState): Promise<PendingEntry | undefined> {
  const reader = s.requestBody;
  const answer = s.response;
  const request = reader && readsRequestBody(s) ? (parsedRequestBody(s) ?? (await read(reader))) : undefined;
  const response = answer ? await read(() => answer.text()) : undefined;
  return buildEntry(s, request, response);
}

export function buildEntry(s: RequestState, request?: Body, response?: Body): PendingEntry | undefined {
  const target = targetOf(s);
  if (!target) return undefined;
  const status = s.status ?? 500;
  const c = classify({
    method: s.method,
    target,
    status,
    requestBody: request?.json,
    responseBody: response?.json,
    location: s.location,
    listTotal: s.listTotal,
  });
  const failed = status >= 400;
  return {
    tenantId: target.tenantId,
    time: s.time,
    requestId: s.requestId,
    method: s.method,
    path: redactPath(target.path, target.query),
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
    responseBody: s.capture && response ? redactBody(response.text, response.json) : null,
  };
}
