// Bench server: `bun test/log/bench/server.ts with|without DATA_DIR` — the real app, with or without the
// request recorder (the baseline app is src/app.ts with the recorder line removed, generated at start).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../src/config";
import { createServices } from "../../../src/services";

const [mode = "with", dataDir = "/tmp/scimd-bench"] = process.argv.slice(2);
const config = loadConfig({
  SCIMD_DATA_DIR: dataDir,
  SCIMD_PORT: "0",
  SCIMD_RATE_LIMIT: "0",
  SCIMD_ADMIN_TOKEN: "bench-admin-token-0123456789",
});
const services = await createServices(config, "bench", { serving: true });

let createApp: typeof import("../../../src/app").createApp;
if (mode === "without") {
  const source = readFileSync(join(import.meta.dir, "../../../src/app.ts"), "utf8")
    .replace(/^\s*\.use\(requestRecorder\([^)]*\)\)\s*$/m, "")
    .replace(/from "\.\//g, 'from "../../../src/');
  if (source.includes(".use(requestRecorder(")) throw new Error("could not remove the recorder from app.ts");
  const file = join(import.meta.dir, "app-without-recorder.gen.ts");
  writeFileSync(file, source);
  createApp = (await import(file)).createApp;
  rmSync(file);
} else {
  createApp = (await import("../../../src/app")).createApp;
}

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
