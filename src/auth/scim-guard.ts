// The guard on /scim/v2/{tenantId}/*: every failure — missing, malformed, tampered, revoked, expired,
// another tenant's token, alg none, unknown tenant — gets the same 401, so tenants cannot be enumerated.
// The one other answer: 503 when an Entra directory's keys cannot be fetched, so no token of it can be checked.
// Three kinds of bearer token are accepted: Secret Tokens, OAuth access tokens (typ at+jwt) and, for tenants
// that opted in, Entra-issued RS256 tokens. Each verifier pins its own algorithm; the header only picks one.
import { decodeProtectedHeader, type ProtectedHeaderParameters } from "jose";
import { ScimError } from "../errors";
import type { Services } from "../services";
import { ACCESS_TOKEN_TYP } from "./access-tokens";
import { ENTRA_ALG } from "./entra";
import { EntraKeysUnavailable } from "./entra-keys";

const INVALID_TOKEN_CHALLENGE = { "www-authenticate": 'Bearer realm="scimd", error="invalid_token"' };
// RFC 6750 §3.1: a request that carries no Bearer credentials gets the challenge without an error code.
const NO_TOKEN_CHALLENGE = { "www-authenticate": 'Bearer realm="scimd"' };

// RFC 6750 §2.1 b64token; anything else is malformed before any crypto runs. Entra tokens are the longest.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
export const MAX_BEARER_LENGTH = 8192;

export type TokenKind = "secret-token" | "oauth" | "entra";

const UNAUTHORIZED_DETAIL = "Authorization failed: a valid Bearer token for this Tenant URL is required";

/** The 401 for a request that sent no Bearer token: the same body, only the challenge differs. */
class NoBearerToken extends ScimError {
  constructor() {
    super(401, UNAUTHORIZED_DETAIL);
  }
}

export function unauthorized(): ScimError {
  return new ScimError(401, UNAUTHORIZED_DETAIL);
}

/** The WWW-Authenticate header of a SCIM 401. */
export const challengeOf = (error: ScimError) => (error instanceof NoBearerToken ? NO_TOKEN_CHALLENGE : INVALID_TOKEN_CHALLENGE);

const BEARER_SCHEME = /^Bearer(?: |$)/i;

// A 401 would read as invalid credentials to Entra (Test Connection fails, cycles go to quarantine); a 5xx is retried.
function entraKeysUnavailable(): ScimError {
  return new ScimError(503, "The Entra directory's signing keys cannot be fetched right now, so its token cannot be checked; retry later");
}

export function bearerToken(header: string | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  return match?.[1];
}

type GuardServices = Pick<Services, "tokens" | "accessTokens" | "entraTokens" | "tenantSettings">;

async function verify(services: GuardServices, tenantId: string, token: string, now: Date): Promise<TokenKind | undefined> {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return undefined;
  }
  // The header is the sender's JSON: typ may be anything, and a stranger must still get the one 401.
  if (typeof header.typ === "string" && header.typ.toLowerCase() === ACCESS_TOKEN_TYP) {
    return (await services.accessTokens.verify(tenantId, token, now)) ? "oauth" : undefined;
  }
  if (header.alg === ENTRA_ALG) {
    const entra = services.tenantSettings.get(tenantId).entra;
    try {
      return entra && (await services.entraTokens.verify(entra, token, now)) ? "entra" : undefined;
    } catch (error) {
      throw error instanceof EntraKeysUnavailable ? entraKeysUnavailable() : error;
    }
  }
  return (await services.tokens.verify(tenantId, token, now)) ? "secret-token" : undefined;
}

export interface Authenticated {
  tenantId: string;
  kind: TokenKind;
}

/**
 * Throws the one 401 for every failure. A Secret Token seen before is answered without a promise, so the
 * request goes on in the same synchronous run (no header decoding, no microtask hops); others need crypto.
 */
export function authenticateTenant(
  services: GuardServices,
  tenantId: string,
  authorization: string | null,
  now = new Date(),
): Authenticated | Promise<Authenticated> {
  const token = bearerToken(authorization);
  if (!token) throw authorization && BEARER_SCHEME.test(authorization) ? unauthorized() : new NoBearerToken();
  // Only well-formed tokens were ever verified, so a known one needs no second look at its characters.
  const known = services.tokens.verifyKnown(tenantId, token, now);
  if (known !== null) {
    if (!known) throw unauthorized();
    return { tenantId, kind: "secret-token" };
  }
  if (token.length > MAX_BEARER_LENGTH || !B64TOKEN.test(token)) throw unauthorized();
  return verify(services, tenantId, token, now).then((kind) => {
    if (!kind) throw unauthorized();
    return { tenantId, kind };
  });
}
