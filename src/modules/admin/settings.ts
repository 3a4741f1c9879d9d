import { Elysia } from "elysia";
import { adminGuard } from "../../auth/admin-guard";
import { EntraConfigError, entraConfig } from "../../auth/entra";
import { EntraTrustConflict, type TenantSettingsPatch, type TenantSettingsValue } from "../../auth/tenant-settings";
import { AdminError } from "../../errors";
import type { Services } from "../../services";
import * as M from "./credentials-model";

const tags = ["Admin"];

export const settingsView = (services: Services, value: TenantSettingsValue) => ({
  ...value,
  effectiveRateLimit: value.rateLimit ?? services.config.rateLimit,
});

/** Per-tenant settings: rate limit override and Entra token trust. Takes effect on the tenant's next request. */
export const adminSettingsModule = (services: Services) =>
  new Elysia({ prefix: "/admin/v1/tenants/:id" })
    .use(adminGuard(services))
    .get(
      "/settings",
      ({ params }) => {
        if (!services.tenants.get(params.id)) throw new AdminError(404, `no tenant ${params.id}`);
        return settingsView(services, services.tenantSettings.get(params.id));
      },
      { response: M.TenantSettings, detail: { tags, summary: "A tenant's rate limit and Entra settings" } },
    )
    .patch(
      "/",
      ({ params, body }) => {
        if (!services.tenants.get(params.id)) throw new AdminError(404, `no tenant ${params.id}`);
        const patch: TenantSettingsPatch = { rateLimit: body.rateLimit };
        try {
          if (body.entra !== undefined) patch.entra = body.entra === null ? null : entraConfig(body.entra);
          return settingsView(services, services.tenantSettings.update(params.id, patch));
        } catch (error) {
          if (error instanceof EntraConfigError) throw new AdminError(400, error.message);
          if (error instanceof EntraTrustConflict) throw new AdminError(409, error.message);
          throw error;
        }
      },
      {
        body: M.TenantPatchBody,
        response: M.TenantSettings,
        detail: {
          tags,
          summary: "Change a tenant's settings",
          description:
            "`rateLimit`: requests per second for this tenant (null = SCIMD_RATE_LIMIT, 0 = none). " +
            "`entra`: accept tokens issued by this Entra directory (null = stop accepting them). Absent keys are left as they are.",
        },
      },
    );
