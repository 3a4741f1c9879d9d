import { t } from "elysia";
import { MAX_TOKEN_LIFETIME_SECONDS, MIN_TOKEN_LIFETIME_SECONDS } from "../../auth/tokens";
import { MAX_TENANT_NAME_LENGTH } from "../tenants/name";
import { MAX_KEY_OVERLAP_SECONDS } from "../tenants/service";
import { TenantSettings } from "./credentials-model";

export const TenantCreateBody = t.Object({
  name: t.String({
    minLength: 1,
    maxLength: MAX_TENANT_NAME_LENGTH,
    description: "A name for people: the customer or directory (trimmed; not only spaces)",
  }),
});

export const Tenant = t.Object({
  id: t.String({ format: "uuid" }),
  name: t.String(),
  created: t.String({ format: "date-time" }),
  tenantUrl: t.String({ description: "Paste into Entra ID as Tenant URL" }),
});

export const TenantWithCounts = t.Composite([Tenant, t.Object({ users: t.Integer(), groups: t.Integer(), settings: TenantSettings })]);

export const TenantCreated = t.Composite([
  Tenant,
  t.Object({ token: t.String({ description: "The Secret Token, shown only this once" }) }),
]);

export const TokenIssueBody = t.Object({
  expiresInSeconds: t.Optional(
    t.Integer({
      minimum: MIN_TOKEN_LIFETIME_SECONDS,
      maximum: MAX_TOKEN_LIFETIME_SECONDS,
      description: "No expiry when absent: Entra never refreshes a Secret Token",
    }),
  ),
  description: t.Optional(t.String({ maxLength: 200 })),
});

export const TokenIssued = t.Object({
  jti: t.String(),
  token: t.String({ description: "The Secret Token, shown only this once" }),
  expires: t.Union([t.String({ format: "date-time" }), t.Null()]),
});

export const TokenInfo = t.Object({
  jti: t.String(),
  kid: t.String(),
  description: t.Union([t.String(), t.Null()]),
  created: t.String({ format: "date-time" }),
  expires: t.Union([t.String({ format: "date-time" }), t.Null()]),
  revoked: t.Union([t.String({ format: "date-time" }), t.Null()]),
  lastUsed: t.Union([t.String({ format: "date-time" }), t.Null()]),
  keyRetired: t.Union([t.String({ format: "date-time" }), t.Null()], {
    description:
      "When a key rotation retires (or retired) this token's signing key, a future time during the rotation's overlap: from then on the token no longer works. Null while its key is current",
  }),
});

export const RotateKeyBody = t.Object({
  overlapSeconds: t.Optional(
    t.Integer({ minimum: 0, maximum: MAX_KEY_OVERLAP_SECONDS, description: "How long tokens signed with the old key keep working (0 = stop now)" }),
  ),
});

export const AdminErrorBody = t.Object({ error: t.String(), status: t.Integer() });
