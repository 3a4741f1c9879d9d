// Helpers for the credential tests: the token endpoint as a client calls it, SCIM probes, and a stack on a
// database file with a second connection that plays the CLI (another process in real life).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app";
import { execute } from "../../src/cli/commands";
import { loadConfig } from "../../src/config";
import { createServices, type Services } from "../../src/services";
import { createHarness, type Harness, TEST_ADMIN_TOKEN } from "../support/harness";

export { createHarness, type Harness, TEST_ADMIN_TOKEN };

export const FORM = "application/x-www-form-urlencoded";

export function tokenRequest(h: Harness, tenantId: string, form: Record<string, string> | string, headers: Record<string, string> = {}) {
  const body = typeof form === "string" ? form : new URLSearchParams(form).toString();
  return h.app.handle(
    new Request(`http://scimd.test/oauth/v1/${tenantId}/token`, { method: "POST", headers: { "content-type": FORM, ...headers }, body }),
  );
}

export const basic = (id: string, secret: string) => `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`;

export async function newClient(h: Harness, tenantId: string): Promise<{ client_id: string; client_secret: string }> {
  const res = await h.admin("POST", `/tenants/${tenantId}/clients`, { description: "test" });
  if (res.status !== 201) throw new Error(`client create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { client_id: string; client_secret: string };
}

export async function accessToken(h: Harness, tenantId: string, client: { client_id: string; client_secret: string }): Promise<string> {
  const res = await tokenRequest(h, tenantId, { grant_type: "client_credentials" }, { authorization: basic(client.client_id, client.client_secret) });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** GET ServiceProviderConfig with a bearer token: the cheapest authenticated SCIM request. */
export const probe = (h: Harness, tenantId: string, token: string | undefined) =>
  h.request("GET", `/scim/v2/${tenantId}/ServiceProviderConfig`, { token });

export interface FileStack extends Harness {
  dir: string;
  env: Record<string, string>;
  /** Runs a CLI command on a second connection to the same file, as `scimd …` in another process would. */
  cli(...argv: string[]): Promise<unknown>;
  /** A second, independent Services on the same file (closed by the caller). */
  second(extraEnv?: Record<string, string>): Promise<Services>;
}

/** The real stack on a database file (in a fresh directory unless SCIMD_DATA_DIR is given), plus a way to act on that file from "another process". */
export async function createFileStack(env: Record<string, string> = {}): Promise<FileStack> {
  const dir = env.SCIMD_DATA_DIR ?? mkdtempSync(join(tmpdir(), "scimd-auth-"));
  const fullEnv = { SCIMD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, SCIMD_DATA_DIR: dir, ...env };
  const services = await createServices(loadConfig(fullEnv), "test", { serving: true });
  services.urls.base = "http://scimd.test";
  const app = createApp(services);
  const request: Harness["request"] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    return app.handle(new Request(`http://scimd.test${path}`, { method, headers, body }));
  };
  const admin: Harness["admin"] = (method, path, body) => request(method, `/admin/v1${path}`, { token: TEST_ADMIN_TOKEN, body });
  const newTenant: Harness["newTenant"] = async (name = "Contoso") => {
    const res = await admin("POST", "/tenants", { name });
    const created = (await res.json()) as { id: string; token: string };
    return { id: created.id, token: created.token, url: `/scim/v2/${created.id}` };
  };
  const second = (extraEnv: Record<string, string> = {}) => createServices(loadConfig({ ...fullEnv, ...extraEnv }), "test", { serving: false });
  const cli = async (...argv: string[]) => {
    const other = await second();
    try {
      return await execute(other, argv);
    } finally {
      other.db.close();
    }
  };
  return { services, app, request, admin, newTenant, dir, env: fullEnv, cli, second };
}
