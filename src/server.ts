import { createApp } from "./app";
import { checkpointEvery } from "./db/checkpoints";
import type { Services } from "./services";

/**
 * Starts listening; returns the server and a stop function that drains and closes the database. `checkpointMs`:
 * how often the WAL is made durable in the database file (db/checkpoints.ts).
 */
export function startServer(services: Services, { checkpointMs }: { checkpointMs?: number } = {}) {
  const { config } = services;
  const app = createApp(services);
  app.listen({
    hostname: config.host,
    port: config.port,
    // Our own size check answers with a SCIM 413; Bun's hard limit sits just above it.
    maxRequestBodySize: config.maxBodyBytes + 64 * 1024,
    idleTimeout: config.requestTimeoutSeconds,
  });
  const server = app.server;
  if (!server) throw new Error("server did not start");
  const port = server.port ?? config.port;
  if (!config.publicUrl) {
    const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
    services.urls.base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    // The CLI prints Tenant URLs; with SCIMD_PORT=0 only the server knows the port it got.
    services.db
      .query("INSERT INTO settings (key, value) VALUES ('listening_url', $url) ON CONFLICT (key) DO UPDATE SET value = $url")
      .run({ url: services.urls.base });
  }
  services.requestLog.start();
  const stopCheckpoints = checkpointEvery(services.db, checkpointMs);
  return {
    app,
    port,
    url: services.urls.base,
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
