// Parsing a token request (RFC 6749 §3.2, §4.4.2) and the client's credentials (§2.3.1). Pure: no database.
import { invalidClient, invalidRequest } from "./errors";

export interface TokenRequest {
  grantType: string;
  scope: string | undefined;
  clientId: string;
  clientSecret: string;
}

const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
const BASE64 = /^[A-Za-z0-9+/]+=*$/;

/** §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    throw invalidClient();
  }
}

function basicCredentials(authorization: string): { id: string; secret: string } {
  const match = /^Basic +(\S+)\s*$/i.exec(authorization);
  if (!match || !BASE64.test(match[1])) throw invalidClient();
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalidClient();
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** §3.2: each parameter at most once; a parameter without a value counts as absent. */
function formParameters(body: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (params.has(name)) throw invalidRequest(`parameter ${name} given more than once`);
    params.set(name, value);
  }
  for (const [name, value] of params) if (value === "") params.delete(name);
  return params;
}

export function parseTokenRequest(contentType: string | null, body: string, authorization: string | null, query: URLSearchParams): TokenRequest {
  if (!contentType || !FORM_TYPE.test(contentType)) throw invalidRequest("Content-Type must be application/x-www-form-urlencoded");
  if (query.has("client_secret")) throw invalidRequest("client_secret must not be sent in the URL");
  const params = formParameters(body);
  const grantType = params.get("grant_type");
  if (!grantType) throw invalidRequest("grant_type is required");
  let clientId = params.get("client_id");
  let clientSecret = params.get("client_secret");
  if (authorization) {
    // §2.3: a client must not use more than one authentication method in a request.
    if (clientSecret !== undefined) throw invalidRequest("use either HTTP Basic or client_secret in the body, not both");
    const basic = basicCredentials(authorization);
    if (clientId !== undefined && clientId !== basic.id) throw invalidRequest("client_id in the body differs from HTTP Basic");
    clientId = basic.id;
    clientSecret = basic.secret;
  }
  if (!clientId || !clientSecret) throw invalidClient();
  return { grantType, scope: params.get("scope"), clientId, clientSecret };
}
