// CLI for OAuth clients, per-tenant settings and master-key rotation. Each takes effect on the running
// server's next request: the server reads this state from the database on every request.
import { createKeyVault } from "../auth/key-vault";
import { EntraConfigError, entraConfig } from "../auth/entra";
import { rekey } from "../auth/rekey";
import { EntraTrustConflict, type TenantSettingsPatch } from "../auth/tenant-settings";
import { tokenEndpoint } from "../modules/admin/clients";
import { settingsView } from "../modules/admin/settings";
import type { Services } from "../services";
import { CommandError, UsageError } from "./args";
import { requireTenant } from "./require-tenant";

type Options = Record<string, string>;

const noClient = (tenant: string, clientId: string) => `no client ${clientId} in tenant ${tenant}; \`scimd client list ${tenant}\` shows them`;

function settingsPatch(options: Options): TenantSettingsPatch {
  const patch: TenantSettingsPatch = {};
  const rate = options["rate-limit"];
  if (rate !== undefined) {
    if (rate === "default") patch.rateLimit = null;
    else if (/^\d+$/.test(rate) && Number(rate) <= 1_000_000) patch.rateLimit = Number(rate);
    else throw new UsageError(`--rate-limit expects requests per second (0 = none) or "default", not ${JSON.stringify(rate)}`);
  }
  const tid = options["entra-tenant"];
  if (tid === "none") patch.entra = null;
  else if (tid !== undefined) {
    try {
      patch.entra = entraConfig({
        tenantId: tid,
        issuer: options["entra-issuer"],
        audience: options["entra-audience"],
        jwksUri: options["entra-jwks-uri"],
      });
    } catch (error) {
      if (error instanceof EntraConfigError) throw new UsageError(error.message);
      throw error;
    }
  } else if (options["entra-issuer"] ?? options["entra-audience"] ?? options["entra-jwks-uri"]) {
    throw new UsageError("--entra-issuer, --entra-audience and --entra-jwks-uri go with --entra-tenant DIRECTORY_ID");
  }
  if (Object.keys(patch).length === 0) throw new UsageError("tenant set needs --rate-limit and/or --entra-tenant");
  return patch;
}

async function rekeyCommand(services: Services, options: Options) {
  const { newMasterKey } = services.config;
  const decrypt = options.decrypt === "true";
  if (newMasterKey && decrypt) throw new UsageError("rekey: give SCIMD_NEW_MASTER_KEY or --decrypt, not both");
  if (!newMasterKey && !decrypt) {
    throw new UsageError("rekey needs SCIMD_NEW_MASTER_KEY (re-encrypt under it) or --decrypt (store secrets unencrypted)");
  }
  const result = await rekey(services.db, services.vault, await createKeyVault(newMasterKey));
  return { ...result, next: result.encrypted ? "start scimd with SCIMD_MASTER_KEY set to the new key" : "start scimd without SCIMD_MASTER_KEY" };
}

/** The command's output, or undefined when `key` is not one of these commands. */
export async function credentialCommand(services: Services, key: string, rest: string[], options: Options): Promise<unknown> {
  switch (key) {
    case "client create": {
      const id = requireTenant(services, rest[0]);
      const c = await services.clients.create(id, { description: options.description });
      return { client_id: c.clientId, client_secret: c.clientSecret, token_endpoint: tokenEndpoint(services, id), created: c.created };
    }
    case "client list":
      return services.clients.list(requireTenant(services, rest[0]));
    case "client delete": {
      const id = requireTenant(services, rest[0]);
      if (!rest[1]) throw new UsageError("client delete needs TENANT_ID CLIENT_ID");
      if (!services.clients.delete(id, rest[1])) throw new CommandError(noClient(id, rest[1]));
      return { deleted: rest[1] };
    }
    case "client rotate": {
      const id = requireTenant(services, rest[0]);
      if (!rest[1]) throw new UsageError("client rotate needs TENANT_ID CLIENT_ID");
      const secret = await services.clients.rotateSecret(id, rest[1]);
      if (!secret) throw new CommandError(noClient(id, rest[1]));
      return { client_id: rest[1], client_secret: secret };
    }
    case "tenant show": {
      const id = requireTenant(services, rest[0]);
      return { ...services.tenants.get(id), settings: settingsView(services, services.tenantSettings.get(id)) };
    }
    case "tenant set": {
      const id = requireTenant(services, rest[0]);
      try {
        return settingsView(services, services.tenantSettings.update(id, settingsPatch(options)));
      } catch (error) {
        if (error instanceof EntraTrustConflict) throw new CommandError(error.message);
        throw error;
      }
    }
    case "rekey":
      return rekeyCommand(services, options);
  }
  return undefined;
}
