import { createApp } from "./app";
import { ConfigError } from "./config";
import { checkpointEvery } from "./db/checkpoints";
import type { Services } from "./services";

/** http://HOST:PORT of a listening socket; a wildcard address is shown as loopback, where it answers too. */
export function listenUrl(host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}

// An address of another machine, or a name that does not resolve: Bun reports a failed lookup as ENOENT
// when the resolver answers "no such name", ENOTFOUND or EAI_AGAIN elsewhere.
const NOT_HERE = new Set(["EADDRNOTAVAIL", "EINVAL", "ENOENT", "ENOTFOUND", "EAI_NONAME", "EAI_AGAIN"]);

/** Why listening failed, as a line that names the variable to change. */
export function listenProblem(host: string, port: number, error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const at = `cannot listen on ${host}:${port}`;
  if (code === "EADDRINUSE") return `${at}: the port is in use; set SCIMD_PORT to a free port (0 = any free port)`;
  if (code === "EACCES") return `${at}: not allowed to use this port; set SCIMD_PORT to a port from 1024 up (0 = any free port)`;
  const reason = NOT_HERE.has(String(code)) ? "not an address of this machine" : String((error as Error).message ?? error);
  return `${at}: ${reason}; set SCIMD_HOST to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`;
}

/**
 * Starts listening; returns the server, the URL it listens on and a stop function that drains and closes the
 * database. `checkpointMs`: how often the WAL is made durable in the database file (db/checkpoints.ts).
 */
export function startServer(services: Services, { checkpointMs }: { checkpointMs?: number } = {}) {
  const { config } = services;
  const app = createApp(services);
  try {
    app.listen({
      hostname: config.host,
      port: config.port,
      // Our own size check answers with a SCIM 413; Bun's hard limit sits just above it.
      maxRequestBodySize: config.maxBodyBytes + 64 * 1024,
      idleTimeout: config.requestTimeoutSeconds,
    });
  } catch (error) {
    throw new ConfigError(listenProblem(config.host, config.port, error));
  }
  const server = app.server;
  if (!server) throw new Error("server did not start");
  const port = server.port ?? config.port;
  const url = listenUrl(config.host, port);
  if (!config.publicUrl) {
    services.urls.base = url;
    // The CLI prints Tenant URLs; with SCIMD_PORT=0 only the server knows the port it got.
    services.db
      .query("INSERT INTO settings (key, value) VALUES ('listening_url', $url) ON CONFLICT (key) DO UPDATE SET value = $url")
      .run({ url });
  }
  services.requestLog.start();
  const stopCheckpoints = checkpointEvery(services.db, checkpointMs);
  return {
    app,
    port,
    /** Where this server listens; Tenant URLs start with services.urls.base (SCIMD_PUBLIC_URL when set). */
    url,
    async stop() {
      // Live tails never end on their own; the log's last entries are written before the database closes.
      services.requestLog.closeStreams();
      await app.stop();
      await services.requestLog.close();
      stopCheckpoints();
      services.db.close();
    },
  };
}
