// A real listening server on 127.0.0.1 (any free port) over a database file in a fresh directory.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config";
import { startServer } from "../../src/server";
import { createServices, type Services } from "../../src/services";
import { TEST_ADMIN_TOKEN, type TestTenant } from "../support/harness";

export interface LiveServer {
  services: Services;
  url: string;
  dataDir: string;
  stop(): Promise<void>;
  tenant(): Promise<TestTenant>;
  admin(path: string, init?: RequestInit): Promise<Response>;
}

export async function startLiveServer(env: Record<string, string> = {}, options: Parameters<typeof startServer>[1] = {}): Promise<LiveServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "scimd-log-"));
  const config = loadConfig({
    SCIMD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    SCIMD_DATA_DIR: dataDir,
    SCIMD_PORT: "0",
    SCIMD_HOST: "127.0.0.1",
    SCIMD_RATE_LIMIT: "0",
    ...env,
  });
  const services = await createServices(config, "test", { serving: true });
  const server = startServer(services, options);
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/admin/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/json", ...init.headers },
    });
  return {
    services,
    url: server.url,
    dataDir,
    stop: () => server.stop(),
    admin,
    async tenant() {
      const res = await admin("/tenants", { method: "POST", body: JSON.stringify({ name: "Live" }) });
      const body = (await res.json()) as { id: string; token: string };
      return { ...body, url: `${server.url}/scim/v2/${body.id}` };
    },
  };
}

/** Reads a text/event-stream until `done` says so or `ms` pass; returns everything read. */
export async function readStream(res: Response, done: (text: string) => boolean, ms: number): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + ms;
  try {
    while (!done(text) && Date.now() < deadline) {
      const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), deadline - Date.now()));
      const next = await Promise.race([reader.read(), timeout]);
      if (next === "timeout" || next.done) break;
      text += next.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}

export const dataEvents = (text: string) =>
  text
    .split("\n\n")
    .filter((block) => block.includes("\ndata: ") || block.startsWith("data: "))
    .map((block) => ({
      id: Number(/^id: (\d+)$/m.exec(block)?.[1]),
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") as Record<string, unknown>,
    }));
