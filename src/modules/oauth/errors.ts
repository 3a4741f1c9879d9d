// RFC 6749 §5.2 error responses: the token endpoint's one error shape.
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "temporarily_unavailable";

// §5.1/§5.2: responses with tokens or credentials must not be cached.
export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export const invalidRequest = (description: string, status = 400) => new OAuthError("invalid_request", description, status);

/**
 * Too many failed client authentications: 429 with Retry-After. RFC 6749 names no token endpoint error for it;
 * temporarily_unavailable is its word for "try again later" (§4.1.2.1).
 */
export const tooManyFailures = (retryAfterSeconds: number) =>
  new OAuthError(
    "temporarily_unavailable",
    `too many failed client authentications for this client from this address; retry after ${retryAfterSeconds} seconds`,
    429,
    { "retry-after": String(retryAfterSeconds) },
  );

/** §5.2: 401 with a challenge naming the scheme the client may use (HTTP Basic, §2.3.1). */
export const invalidClient = () => new OAuthError("invalid_client", "client authentication failed", 401);

export function oauthJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...NO_STORE, ...headers },
  });
}

export function renderOAuthError(error: OAuthError): Response {
  const headers: Record<string, string> =
    error.status === 401 ? { "www-authenticate": 'Basic realm="scimd", charset="UTF-8"', ...error.headers } : error.headers;
  return oauthJson({ error: error.code, error_description: error.description }, error.status, headers);
}
