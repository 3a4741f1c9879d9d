// The real stack for tests: a real (in-memory or on-disk) SQLite database, real migrations, the real router.
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/open";
import { createServices, type Services } from "../../src/services";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

/** A tenant made through the admin API, with its Secret Token and SCIM base path. */
export interface TestTenant {
  id: string;
  token: string;
  url: string;
}

export interface Harness {
  services: Services;
  app: ReturnType<typeof createApp>;
  request(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  newTenant(name?: string): Promise<TestTenant>;
}

export async function createHarness(env: Record<string, string> = {}): Promise<Harness> {
  const config = loadConfig({ SCIMD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, SCIMD_DATA_DIR: "/nonexistent", ...env });
  const services = await createServices(config, "test", { db: openDatabase(":memory:"), serving: true });
  services.urls.base = "http://scimd.test";
  const app = createApp(services);
  const request: Harness["request"] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      headers["content-type"] ??= "application/scim+json";
    }
    return app.handle(new Request(`http://scimd.test${path}`, { method, headers, body }));
  };
  const admin: Harness["admin"] = (method, path, body) =>
    request(method, `/admin/v1${path}`, { token: TEST_ADMIN_TOKEN, body, headers: body ? { "content-type": "application/json" } : {} });
  const newTenant: Harness["newTenant"] = async (name = "Contoso") => {
    const res = await admin("POST", "/tenants", { name });
    if (res.status !== 201) throw new Error(`tenant create failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { id: string; token: string };
    return { id: body.id, token: body.token, url: `/scim/v2/${body.id}` };
  };
  return { services, app, request, admin, newTenant };
}
