// The one place that renders errors. SCIM paths get RFC 7644 §3.12 bodies; the admin API gets
// `{ error, status }`. Internal causes are logged, never returned.
import { MasterKeyError } from "../auth/key-vault";
import { storageFailure } from "../db/storage-failure";
import { AdminError, ScimError } from "../errors";
import { scimError } from "./scim-response";
import { challengeOf } from "../auth/scim-guard";
import { type RouteMethods, unserved } from "./route-methods";

/** The code app.ts renders a path with malformed percent-encoding with (see http/malformed-path.ts). */
export const MALFORMED_PATH = "MALFORMED_PATH";
const MALFORMED_PATH_DETAIL = "the URL path has a malformed percent-encoding";
// The database's secrets were sealed under another master key than this server's (or under one it lacks):
// nothing the client can fix, and not a crash either.
const MASTER_KEY_DETAIL = "the server's master key (SCIMD_MASTER_KEY) does not match the database's: stored secrets cannot be read";

const isScimPath = (request: Request) => new URL(request.url).pathname.startsWith("/scim/");

const adminJson = (status: number, error: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error, status }), { status, headers: { "content-type": "application/json", ...headers } });

/** `routes`: what the router serves, so that a known path asked with another method is 405, not 404. */
export function renderError(code: string | number, error: unknown, request: Request, routes?: RouteMethods): Response {
  const scim = isScimPath(request);
  if (error instanceof ScimError) {
    return scimError(error, error.status === 401 ? challengeOf(error) : {});
  }
  if (error instanceof AdminError) {
    const headers: Record<string, string> = error.status === 401 ? { "www-authenticate": 'Bearer realm="scimd-admin"' } : {};
    return adminJson(error.status, error.message, headers);
  }
  if (error instanceof MasterKeyError) {
    console.error(`[scimd] ${request.method} ${new URL(request.url).pathname}: ${error.message}`);
    return scim ? scimError(new ScimError(503, MASTER_KEY_DETAIL)) : adminJson(503, MASTER_KEY_DETAIL);
  }
  switch (code) {
    case "NOT_FOUND":
      return notFound(request, scim, routes);
    case "PARSE":
      return scim
        ? scimError(new ScimError(400, "request body is not valid JSON", "invalidSyntax"))
        : adminJson(400, "request body is not valid JSON");
    case MALFORMED_PATH:
      return scim ? scimError(new ScimError(400, MALFORMED_PATH_DETAIL, "invalidSyntax")) : adminJson(400, MALFORMED_PATH_DETAIL);
    case "VALIDATION": {
      const detail = validationDetail(error);
      return scim ? scimError(new ScimError(400, detail, "invalidValue")) : adminJson(400, detail);
    }
  }
  const storage = storageFailure(error);
  if (storage) {
    console.error(`[scimd] ${request.method} ${new URL(request.url).pathname}: storage failure:`, (error as Error).message);
    const headers: Record<string, string> = storage.retryAfter ? { "retry-after": String(storage.retryAfter) } : {};
    return scim ? scimError(new ScimError(503, storage.detail), headers) : adminJson(503, storage.detail, headers);
  }
  console.error(`[scimd] internal error on ${request.method} ${new URL(request.url).pathname}:`, error);
  return scim ? scimError(new ScimError(500, "internal server error")) : adminJson(500, "internal server error");
}

function notFound(request: Request, scim: boolean, routes: RouteMethods | undefined): Response {
  const answer = routes ? unserved(routes, request) : { status: 404 as const };
  if (answer.status === 404) return scim ? scimError(new ScimError(404, "no such SCIM endpoint")) : adminJson(404, "not found");
  const headers = { allow: answer.allow };
  if (answer.status === 204) return new Response(null, { status: 204, headers });
  const detail = `${request.method} is not allowed here; this endpoint answers ${answer.allow}`;
  return scim ? scimError(new ScimError(405, detail), headers) : adminJson(405, detail, headers);
}

function validationDetail(error: unknown): string {
  const all = (error as { all?: { path?: string; message?: string }[] }).all;
  const first = Array.isArray(all) ? all[0] : undefined;
  if (first?.message) return `invalid request: ${first.path ? `${first.path}: ` : ""}${first.message}`;
  return "invalid request";
}
