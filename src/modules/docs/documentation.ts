// The fixed parts of the OpenAPI document; paths and schemas come from the routes' own `t` schemas.
import type { swagger } from "@elysiajs/swagger";

type Documentation = NonNullable<NonNullable<Parameters<typeof swagger>[0]>["documentation"]>;

export const DOCS_TAGS = {
  scim: "SCIM",
  admin: "Admin",
  health: "Health",
} as const;

export function openApiDocumentation(version: string): Documentation {
  return {
    info: {
      title: "scimd",
      version,
      description:
        "Self-hosted SCIM 2.0 service provider (RFC 7643, RFC 7644). Identity providers such as Microsoft " +
        "Entra ID provision users and groups under a tenant's URL, /scim/v2/{tenantId}, with that tenant's " +
        "secret token; the admin API manages tenants and tokens with the admin token.",
    },
    tags: [
      { name: DOCS_TAGS.scim, description: "Users, groups and discovery, per tenant (tenant secret token)" },
      { name: DOCS_TAGS.admin, description: "Tenants, tokens and the provisioning log (admin token)" },
      { name: DOCS_TAGS.health, description: "Liveness and readiness probes (no token)" },
    ],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      },
    },
    // Every route needs a bearer token unless it says otherwise (the health routes set `security: []`).
    security: [{ bearer: [] }],
  };
}
