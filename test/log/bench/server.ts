// Bench server: `bun test/log/bench/server.ts with|without [DATA_DIR]` — the real app, with the provisioning log
// on or off (SCIMD_REQUEST_LOG, the switch the product itself offers).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../../src/app";
import { loadConfig } from "../../../src/config";
import { createServices } from "../../../src/services";

const [mode = "with", dataDir = mkdtempSync(join(tmpdir(), "scimd-log-bench-"))] = process.argv.slice(2);
const config = loadConfig({
  SCIMD_DATA_DIR: dataDir,
  SCIMD_PORT: "0",
  SCIMD_RATE_LIMIT: "0",
  SCIMD_ADMIN_TOKEN: "bench-admin-token-0123456789",
  SCIMD_REQUEST_LOG: mode === "without" ? "0" : "1",
});
const services = await createServices(config, "bench", { serving: true });

const app = createApp(services);
app.listen({ hostname: "127.0.0.1", port: 0, idleTimeout: 30 });
services.urls.base = `http://127.0.0.1:${app.server?.port}`;
services.requestLog.start();
console.log(JSON.stringify({ url: services.urls.base }));
process.on("SIGTERM", async () => {
  await app.stop();
  await services.requestLog.close();
  services.db.close();
  process.exit(0);
});
