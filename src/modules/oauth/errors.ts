// RFC 6749 §5.2 error responses: the token endpoint's one error shape.
export type OAuthErrorCode = "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope";

// §5.1/§5.2: responses with tokens or credentials must not be cached.
export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export const invalidRequest = (description: string, status = 400) => new OAuthError("invalid_request", description, status);

/** §5.2: 401 with a challenge naming the scheme the client may use (HTTP Basic, §2.3.1). */
export const invalidClient = () => new OAuthError("invalid_client", "client authentication failed", 401);

export function oauthJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...NO_STORE, ...headers },
  });
}

export function renderOAuthError(error: OAuthError): Response {
  const headers: Record<string, string> = error.status === 401 ? { "www-authenticate": 'Basic realm="scimd", charset="UTF-8"' } : {};
  return oauthJson({ error: error.code, error_description: error.description }, error.status, headers);
}
