#!/usr/bin/env bun
// Entry: config → database → migrations → services; then serve (default) or run a CLI command.
import { print, runCommand } from "./cli/commands";
import { CommandError, UsageError } from "./cli/args";
import { missingDatabase, openExistingDatabase } from "./cli/existing-database";
import { lockForRekey } from "./cli/rekey-lock";
import { healthcheck } from "./cli/healthcheck";
import { type CommandLine, parseCommandLine } from "./cli/command-line";
import { USAGE } from "./cli/usage";
import { type Config, ConfigError, loadConfig } from "./config";
import { NewerDatabaseError } from "./db/migrate";
import { openDatabase } from "./db/open";
import { holdServingLock } from "./db/serving-lock";
import { storageFailure } from "./db/storage-failure";
import { MasterKeyError } from "./auth/key-vault";
import { startServer } from "./server";
import { createServices, type Services } from "./services";
import { VERSION } from "./version";

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? "serve";
  if (command === "--help" || command === "-h" || command === "help") return console.log(USAGE), 0;
  if (command === "version" || command === "--version" || command === "-v") return console.log(`scimd ${VERSION}`), 0;

  // Before the data directory is touched: a mistyped command creates no database.
  if (command === "serve" && argv.length > 1) {
    throw new UsageError("serve takes no arguments; set SCIMD_HOST, SCIMD_PORT and the other variables instead");
  }
  const line = command === "serve" ? undefined : parseCommandLine(argv);
  const config = loadConfig();
  if (command === "healthcheck") return print(await healthcheck(config)), 0;
  if (line) return runLine(config, line);

  const db = openDatabase(config.dataDir);
  // Before the database's key is checked: a rekey running now finishes first.
  holdServingLock(config.dataDir);
  const services = await createServices(config, VERSION, { db, serving: true });
  // Signal handlers go in before the first line is printed: whoever reads "listening" may stop us at once.
  let server: ReturnType<typeof startServer> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    await server?.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  server = startServer(services);
  printStartLines(services, server.url);
  return -1; // keep running
}

async function runLine(config: Config, line: CommandLine): Promise<number> {
  // The first tenant may be created before the first start (README, Connect Entra ID): only this command
  // creates the database, and it says so, for a mistyped SCIMD_DATA_DIR.
  const creates = line.command === "tenant create";
  const startsNew = creates && missingDatabase(config.dataDir) !== undefined;
  const db = creates ? undefined : openExistingDatabase(line.command, config.dataDir);
  const rekeyLock = line.command === "rekey" ? lockForRekey(config.dataDir) : undefined;
  try {
    const services = await createServices(config, VERSION, { db, serving: false, vault: line.command === "rekey" ? "rekey" : "command" });
    try {
      await runCommand(services, line);
    } finally {
      services.db.close();
    }
  } finally {
    rekeyLock?.release();
  }
  if (startsNew) console.error(`scimd: SCIMD_DATA_DIR=${config.dataDir} held no database; created a new one (start the server with this SCIMD_DATA_DIR)`);
  return 0;
}

function printStartLines(services: Services, listening: string) {
  const { config, urls, generatedAdminToken } = services;
  console.log(`scimd ${VERSION} listening on ${listening} (data: ${config.dataDir})`);
  if (config.publicUrl) console.log(`Public URL (Tenant URLs start with it): ${config.publicUrl}`);
  // Stored only now that it can be shown: a start that could not listen leaves none behind that nobody saw.
  if (generatedAdminToken?.keep()) {
    console.log(`Admin token (shown only now; store it safely): ${generatedAdminToken.token}`);
  } else if (generatedAdminToken) {
    console.log("(the admin token was generated and printed by another scimd started on this data directory at the same moment)");
  }
  console.log(`API docs: ${urls.base}/docs   Admin console: ${urls.base}/ui`);
}

/** Prints why the command failed and returns its exit code. */
function failure(error: unknown): number {
  if (error instanceof ConfigError || error instanceof NewerDatabaseError || error instanceof MasterKeyError) {
    console.error(`scimd: ${error.message}`);
    return 2;
  }
  if (error instanceof CommandError) {
    console.error(`scimd: ${error.message}`);
    return 1;
  }
  // The disk or another process, not scimd: e.g. a write lock held past the busy timeout.
  const storage = storageFailure(error);
  if (storage) {
    console.error(`scimd: ${storage.detail}`);
    return 1;
  }
  if (error instanceof UsageError) {
    console.error(`scimd: ${error.message}\n\n${USAGE}`);
    return 64;
  }
  console.error("scimd: unexpected error:", error);
  return 1;
}

// Docker reserves a HEALTHCHECK's exit code 2 (and knows no other than 0 and 1): every failed check is 1.
const isHealthcheck = process.argv[2] === "healthcheck";

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    const code = failure(error);
    process.exit(isHealthcheck ? 1 : code);
  },
);
