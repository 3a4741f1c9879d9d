// The guard on /scim/v2/{tenantId}/*: every failure — missing, malformed, tampered, revoked, expired,
// another tenant's token, alg none, unknown tenant — gets the same 401, so tenants cannot be enumerated.
import { ScimError } from "../errors";
import type { TokenService } from "./tokens";

export const UNAUTHORIZED_HEADERS = { "www-authenticate": 'Bearer realm="scimd", error="invalid_token"' };

export function unauthorized(): ScimError {
  return new ScimError(401, "Authorization failed: a valid Bearer token for this Tenant URL is required");
}

export function bearerToken(header: string | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export async function authenticateTenant(tokens: TokenService, tenantId: string, authorization: string | null) {
  const token = bearerToken(authorization);
  if (!token) throw unauthorized();
  const claims = await tokens.verify(tenantId, token);
  if (!claims) throw unauthorized();
  return claims;
}
