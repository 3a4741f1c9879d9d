// Builds every service from one open, migrated database. The app and the CLI share it.
import type { Database } from "bun:sqlite";
import { type AdminTokenCheck, setUpAdminToken } from "./auth/admin-token";
import { createKeyVault } from "./auth/key-vault";
import { TenantKeys } from "./auth/tenant-keys";
import { TokenService } from "./auth/tokens";
import type { Config } from "./config";
import { migrate } from "./db/migrate";
import { openDatabase } from "./db/open";
import { GroupService } from "./modules/groups/service";
import { RegistryCache } from "./modules/resources/registry-cache";
import { TenantService } from "./modules/tenants/service";
import { UserService } from "./modules/users/service";

export interface Services {
  db: Database;
  config: Config;
  keys: TenantKeys;
  tokens: TokenService;
  tenants: TenantService;
  admin: AdminTokenCheck;
  registries: RegistryCache;
  users: UserService;
  groups: GroupService;
  /** Set once the server listens (the port may be chosen by the OS). */
  urls: { base: string };
  version: string;
  generatedAdminToken?: string;
}

/** `serving`: only the server sets up the admin token, so a first start after CLI use still prints it. */
export async function createServices(
  config: Config,
  version: string,
  opts: { db?: Database; serving?: boolean } = {},
): Promise<Services> {
  const db = opts.db ?? openDatabase(config.dataDir);
  migrate(db);
  const vault = await createKeyVault(config.masterKey);
  const keys = new TenantKeys(db, vault);
  const tokens = new TokenService(db, keys);
  const { check, generated } =
    opts.serving === false ? { check: { matches: () => false }, generated: undefined } : setUpAdminToken(db, config.adminToken);
  const urls = { base: config.publicUrl ?? lastListeningUrl(db) ?? `http://${config.host}:${config.port}` };
  const registries = new RegistryCache();
  const baseUrl = () => urls.base;
  return {
    db,
    config,
    keys,
    tokens,
    tenants: new TenantService(db, keys, tokens),
    admin: check,
    registries,
    users: new UserService(db, registries, baseUrl),
    groups: new GroupService(db, registries, baseUrl),
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
