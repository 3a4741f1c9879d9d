import { t } from "elysia";

export const ClientCreateBody = t.Object({
  description: t.Optional(t.String({ maxLength: 200, description: "What the client is for, e.g. the app that provisions" })),
});

export const ClientInfo = t.Object({
  clientId: t.String(),
  description: t.Union([t.String(), t.Null()]),
  created: t.String({ format: "date-time" }),
  secretRotated: t.Union([t.String({ format: "date-time" }), t.Null()]),
  lastUsed: t.Union([t.String({ format: "date-time" }), t.Null()]),
});

// RFC 6749 names: what OAuth tooling expects to paste.
export const ClientCreated = t.Object({
  client_id: t.String(),
  client_secret: t.String({ description: "Shown only this once; only a hash is stored" }),
  token_endpoint: t.String({ description: "POST grant_type=client_credentials here (RFC 6749 §4.4)" }),
  description: t.Union([t.String(), t.Null()]),
  created: t.String({ format: "date-time" }),
});

export const SecretRotated = t.Object({
  client_id: t.String(),
  client_secret: t.String({ description: "Shown only this once; the old secret and its access tokens stop working now" }),
});

const Guid = t.String({ pattern: "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$" });

export const EntraInput = t.Object({
  tenantId: t.String({ ...Guid, description: "The Entra directory (tenant) id; tokens must carry it as `tid`" }),
  issuer: t.Optional(t.String({ minLength: 1, maxLength: 500, description: "Default https://sts.windows.net/{tenantId}/" })),
  audience: t.Optional(
    t.String({ minLength: 1, maxLength: 500, description: "Default 8adf8e6e-67b2-4cf2-a259-e3dc5476c621 (Entra's provisioning service)" }),
  ),
  jwksUri: t.Optional(
    t.String({ minLength: 1, maxLength: 2000, description: "Default https://login.microsoftonline.com/{tenantId}/discovery/v2.0/keys" }),
  ),
});

export const EntraConfig = t.Object({ tenantId: t.String(), issuer: t.String(), audience: t.String(), jwksUri: t.String() });

export const TenantSettings = t.Object({
  rateLimit: t.Union([t.Integer(), t.Null()], { description: "Requests per second (bursts of twice that); null = SCIMD_RATE_LIMIT; 0 = none" }),
  effectiveRateLimit: t.Integer({ description: "The limit in force: rateLimit, or SCIMD_RATE_LIMIT when that is null" }),
  entra: t.Union([EntraConfig, t.Null()], { description: "When set, Entra-issued tokens for this directory are accepted too" }),
});

export const TenantPatchBody = t.Object({
  rateLimit: t.Optional(t.Union([t.Integer({ minimum: 0, maximum: 1_000_000 }), t.Null()])),
  entra: t.Optional(t.Union([EntraInput, t.Null()])),
});
