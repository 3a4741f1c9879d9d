// CLI commands work directly on the data directory, also while a server runs on it (SQLite WAL + busy timeout).
import { isTokenLifetime, MAX_TOKEN_LIFETIME_SECONDS, MIN_TOKEN_LIFETIME_SECONDS } from "../auth/tokens";
import { tenantName } from "../modules/tenants/name";
import { isKeyOverlap, MAX_KEY_OVERLAP_SECONDS } from "../modules/tenants/service";
import { type Services, tenantUrl } from "../services";
import { CommandError, UsageError, wholeNumber } from "./args";
import { backup } from "./backup";
import { type CommandLine, parseCommandLine } from "./command-line";
import { credentialCommand } from "./credential-commands";
import { requireTenant } from "./require-tenant";

export const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** Runs a command line parsed (and so checked) before the database was opened, and prints its result. */
export async function runCommand(services: Services, line: CommandLine): Promise<void> {
  print(await run(services, line));
}

/** Runs one command and returns what it prints (as JSON). */
export const execute = (services: Services, argv: string[]): Promise<unknown> => run(services, parseCommandLine(argv));

async function run(services: Services, { command: key, args: rest, options }: CommandLine): Promise<unknown> {
  switch (key) {
    case "tenant create": {
      if (options.name === undefined) throw new UsageError("tenant create needs --name NAME");
      const name = tenantName(options.name);
      if (!name.ok) throw new UsageError(`tenant create --name: ${name.error}`);
      const { tenant, token } = await services.tenants.create(name.value);
      return ({ id: tenant.id, name: tenant.name, tenantUrl: tenantUrl(services, tenant.id), token });
    }
    case "tenant list":
      return (services.tenants.list().map((t) => ({ ...t, tenantUrl: tenantUrl(services, t.id) })));
    case "tenant delete": {
      const id = requireTenant(services, rest[0]);
      services.tenants.delete(id);
      return ({ deleted: id });
    }
    case "token issue": {
      const id = requireTenant(services, rest[0]);
      const expiresInSeconds = wholeNumber(options["expires-in"], "expires-in");
      if (expiresInSeconds !== undefined && !isTokenLifetime(expiresInSeconds)) {
        throw new UsageError(`--expires-in must be from ${MIN_TOKEN_LIFETIME_SECONDS} to ${MAX_TOKEN_LIFETIME_SECONDS} seconds (a century)`);
      }
      return (await services.tokens.issue(id, { expiresInSeconds, description: options.description }));
    }
    case "token list":
      return (services.tokens.list(requireTenant(services, rest[0])));
    case "token revoke": {
      const id = requireTenant(services, rest[0]);
      if (!rest[1]) throw new UsageError("token revoke needs TENANT_ID JTI");
      if (!services.tokens.revoke(id, rest[1])) throw new CommandError(`no token ${rest[1]} in tenant ${id}; \`scimd token list ${id}\` shows them`);
      return ({ revoked: rest[1] });
    }
    case "key rotate": {
      const id = requireTenant(services, rest[0]);
      const overlap = wholeNumber(options.overlap, "overlap") ?? 0;
      if (!isKeyOverlap(overlap)) throw new UsageError(`--overlap must be from 0 to ${MAX_KEY_OVERLAP_SECONDS} seconds (30 days)`);
      return ({ kid: await services.tenants.rotateKey(id, overlap), overlapSeconds: overlap });
    }
    case "backup":
      return backup(services.db, rest[0]);
  }
  const result = await credentialCommand(services, key, rest, options);
  if (result !== undefined) return result;
  throw new UsageError(`unknown command: ${key}`);
}
