// Builds every service from one open, migrated database. The app and the CLI share it.
import type { Database } from "bun:sqlite";
import { type AdminTokenCheck, type GeneratedAdminToken, setUpAdminToken } from "./auth/admin-token";
import { AccessTokens } from "./auth/access-tokens";
import { OAuthClients } from "./auth/clients";
import { EntraTokens } from "./auth/entra";
import { createKeyVault, type KeyVault } from "./auth/key-vault";
import { TenantSettings } from "./auth/tenant-settings";
import { prepareVault, type VaultUse } from "./auth/vault-check";
import { TenantKeys } from "./auth/tenant-keys";
import { TokenService } from "./auth/tokens";
import type { Config } from "./config";
import { migrate } from "./db/migrate";
import { openDatabase } from "./db/open";
import { RateLimiter } from "./http/rate-limit";
import { GroupService } from "./modules/groups/service";
import { RequestLog } from "./modules/log/service";
import { Metrics } from "./modules/metrics/service";
import { CustomSchemas } from "./modules/custom-schemas/service";
import { CursorCodec } from "./modules/resources/cursor";
import { RegistryCache } from "./modules/resources/registry-cache";
import { TenantService } from "./modules/tenants/service";
import { UserService } from "./modules/users/service";

export interface Services {
  db: Database;
  config: Config;
  keys: TenantKeys;
  tokens: TokenService;
  vault: KeyVault;
  clients: OAuthClients;
  accessTokens: AccessTokens;
  entraTokens: EntraTokens;
  tenantSettings: TenantSettings;
  rateLimiter: RateLimiter;
  tenants: TenantService;
  admin: AdminTokenCheck;
  registries: RegistryCache;
  customSchemas: CustomSchemas;
  users: UserService;
  groups: GroupService;
  requestLog: RequestLog;
  metrics: Metrics;
  /** Set once the server listens (the port may be chosen by the OS). */
  urls: { base: string };
  version: string;
  /** Generated on a first start; index.ts keeps it once listening succeeded, then prints it. */
  generatedAdminToken?: GeneratedAdminToken;
}

/**
 * `serving`: only the server sets up the admin token, so a first start after CLI use still prints it; and only
 * the server seals a plain database under a newly set master key (`vault`: how a command opens it instead).
 */
export async function createServices(
  config: Config,
  version: string,
  opts: { db?: Database; serving?: boolean; vault?: VaultUse } = {},
): Promise<Services> {
  const db = opts.db ?? openDatabase(config.dataDir);
  migrate(db);
  const vault = await createKeyVault(config.masterKey);
  await prepareVault(db, vault, opts.vault ?? (opts.serving === false ? "command" : "serve"));
  const keys = new TenantKeys(db, vault);
  const tokens = new TokenService(db, keys);
  const { check, generated } =
    opts.serving === false ? { check: { matches: () => false }, generated: undefined } : setUpAdminToken(db, config.adminToken);
  const urls = { base: config.publicUrl ?? lastListeningUrl(db) ?? `http://${config.host}:${config.port}` };
  const customSchemas = new CustomSchemas(db);
  const registries = new RegistryCache(customSchemas);
  const baseUrl = () => urls.base;
  const cursors = new CursorCodec(db);
  const requestLog = new RequestLog(db, config);
  return {
    db,
    config,
    keys,
    tokens,
    vault,
    clients: new OAuthClients(db, vault),
    accessTokens: new AccessTokens(db, keys, config.accessTokenTtlSeconds),
    entraTokens: new EntraTokens(),
    tenantSettings: new TenantSettings(db),
    rateLimiter: new RateLimiter(),
    tenants: new TenantService(db, keys, tokens),
    admin: check,
    registries,
    customSchemas,
    users: new UserService(db, registries, baseUrl, cursors),
    groups: new GroupService(db, registries, baseUrl, cursors),
    requestLog,
    metrics: new Metrics(db, requestLog, version, config.metricsPublic),
    urls,
    version,
    generatedAdminToken: generated,
  };
}

function lastListeningUrl(db: Database): string | undefined {
  const row = db.query("SELECT value FROM settings WHERE key = 'listening_url'").get() as { value: string } | null;
  return row?.value;
}

export const tenantUrl = (services: Services, tenantId: string) => `${services.urls.base}/scim/v2/${tenantId}`;
