// Entra-issued access tokens, per tenant and opt-in: RS256 JWTs verified against the directory's JWKS.
import { jwtVerify } from "jose";
import { BoundedMap } from "./bounded-map";
import { issuedAtChecks } from "./clock-skew";
import { EntraKeySet, EntraKeysUnavailable } from "./entra-keys";

/** The app id of Entra's provisioning service: the audience of the tokens it requests for a SCIM app. */
export const ENTRA_PROVISIONING_AUDIENCE = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";
export const ENTRA_ALG = "RS256";
/** Entra's access tokens live about an hour; configurable lifetimes end at a day, CAE tokens at 28 hours. */
export const ENTRA_MAX_TOKEN_AGE_SECONDS = 2 * 86_400;

export interface EntraConfig {
  /** The Entra directory (tenant) id, matched against the token's `tid` claim. */
  tenantId: string;
  issuer: string;
  audience: string;
  jwksUri: string;
}

export type EntraInput = Pick<EntraConfig, "tenantId"> & Partial<EntraConfig>;

export class EntraConfigError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Fills in Microsoft's defaults; the JWKS must be https (plain http only on loopback, for tests and proxies). */
export function entraConfig(input: EntraInput): EntraConfig {
  const tid = input.tenantId.toLowerCase();
  if (!GUID.test(tid)) throw new EntraConfigError(`the Entra tenant id must be a GUID, not ${JSON.stringify(input.tenantId)}`);
  const config: EntraConfig = {
    tenantId: tid,
    issuer: input.issuer ?? `https://sts.windows.net/${tid}/`,
    audience: input.audience ?? ENTRA_PROVISIONING_AUDIENCE,
    jwksUri: input.jwksUri ?? `https://login.microsoftonline.com/${tid}/discovery/v2.0/keys`,
  };
  let url: URL;
  try {
    url = new URL(config.jwksUri);
  } catch {
    throw new EntraConfigError(`jwksUri ${JSON.stringify(config.jwksUri)} is not an absolute URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new EntraConfigError("jwksUri must be an https:// URL (http:// only on 127.0.0.1 or localhost)");
  }
  return config;
}

export class EntraTokens {
  // One key set per JWKS URL: keys are cached and refetched at most once per cooldown, so tokens with unknown
  // kids (or a JWKS that cannot be fetched) cannot make us hammer Microsoft (or anyone else).
  private sets = new BoundedMap<string, EntraKeySet>(1_000);

  /** Throws EntraKeysUnavailable when the directory's keys were never fetched and cannot be now. */
  async verify(config: EntraConfig, token: string, now = new Date()): Promise<boolean> {
    try {
      const { payload } = await jwtVerify(token, this.keySet(config.jwksUri).getKey, {
        algorithms: [ENTRA_ALG],
        issuer: config.issuer,
        audience: config.audience,
        requiredClaims: ["exp", "tid"],
        ...issuedAtChecks(ENTRA_MAX_TOKEN_AGE_SECONDS),
        currentDate: now,
      });
      return typeof payload.tid === "string" && payload.tid.toLowerCase() === config.tenantId;
    } catch (error) {
      if (error instanceof EntraKeysUnavailable) throw error;
      return false;
    }
  }

  private keySet(uri: string): EntraKeySet {
    const hit = this.sets.get(uri);
    if (hit) return hit;
    const set = new EntraKeySet(uri);
    this.sets.set(uri, set);
    return set;
  }
}
