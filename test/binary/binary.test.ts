// Issue 2 §9: the binary alone in an empty directory serves, administers and shuts down cleanly.
import { afterAll, describe, expect, test } from "bun:test";
import { cli, isolatedBinary, type RunningServer, startBinary } from "../support/binary";

let server: RunningServer | undefined;
afterAll(async () => {
  if (server && server.proc.exitCode === null) await server.stop();
});

describe("dist/scimd, alone in an empty directory", () => {
  test("starts, creates a tenant with the CLI while serving, answers, and exits 0 on SIGTERM", async () => {
    const { dir, bin } = await isolatedBinary();
    server = await startBinary(bin, dir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.adminToken).toStartWith("scimd_admin_");
    expect(server.output()).toContain(`API docs: ${server.url}/docs`);
    expect(server.output()).toContain(`Admin console: ${server.url}/ui`);

    const created = cli(bin, dir, server.env, ["tenant", "create", "--name", "Contoso"]);
    expect(created.code).toBe(0);
    const tenant = JSON.parse(created.stdout) as { id: string; name: string; tenantUrl: string; token: string };
    expect(tenant.name).toBe("Contoso");

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const docs = await fetch(`${server.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("<html");

    const spc = await fetch(`${server.url}/scim/v2/${tenant.id}/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${tenant.token}` },
    });
    expect(spc.status).toBe(200);
    expect(spc.headers.get("content-type")).toStartWith("application/scim+json");
    expect(((await spc.json()) as { schemas: string[] }).schemas).toContain("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");

    // Bun's own router serves the routes here: a method it has no handler for still reaches the 405.
    const wrongMethod = await fetch(`${server.url}/scim/v2/${tenant.id}/Users`, { method: "PUT", headers: { authorization: `Bearer ${tenant.token}` } });
    expect([wrongMethod.status, wrongMethod.headers.get("allow")]).toEqual([405, "GET, HEAD, OPTIONS, POST"]);
    const options = await fetch(`${server.url}/scim/v2/${tenant.id}/Users`, { method: "OPTIONS" });
    expect([options.status, options.headers.get("allow")]).toEqual([204, "GET, HEAD, OPTIONS, POST"]);

    const listed = JSON.parse(cli(bin, dir, server.env, ["tenant", "list"]).stdout) as { id: string }[];
    expect(listed.map((t) => t.id)).toContain(tenant.id);

    expect(await server.stop()).toBe(0);
  }, 120_000);

  test("a second start prints no admin token; --version and a bad variable behave", async () => {
    const { dir, bin } = await isolatedBinary();
    const first = await startBinary(bin, dir);
    expect(first.adminToken).toBeDefined();
    expect(await first.stop()).toBe(0);
    const second = await startBinary(bin, dir);
    expect(second.adminToken).toBeUndefined();
    expect(await second.stop()).toBe(0);

    const version = cli(bin, dir, {}, ["--version"]);
    expect(version.stdout).toMatch(/^scimd \d+\.\d+\.\d+ \(/);
    const bad = cli(bin, dir, { SCIMD_PORT: "http" }, ["serve"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("SCIMD_PORT");
  }, 120_000);

  test("a stray .env or bunfig.toml in the working directory is ignored", async () => {
    const { dir, bin } = await isolatedBinary();
    await Bun.write(`${dir}/.env`, "SCIMD_PORT=not-a-port\n");
    await Bun.write(`${dir}/bunfig.toml`, "preload = ['./nope.ts']\n");
    const s = await startBinary(bin, dir);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect(await s.stop()).toBe(0);
  }, 120_000);

  test("backup writes a consistent copy while the server runs", async () => {
    const { dir, bin } = await isolatedBinary();
    const s = await startBinary(bin, dir);
    const tenant = JSON.parse(cli(bin, dir, s.env, ["tenant", "create", "--name", "B"]).stdout) as { id: string };
    const res = cli(bin, dir, s.env, ["backup", `${dir}/backup.sqlite`]);
    expect(res.code).toBe(0);
    const again = cli(bin, dir, s.env, ["backup", `${dir}/backup.sqlite`]);
    expect(again.code).not.toBe(0);
    expect(await s.stop()).toBe(0);
    const { Database } = await import("bun:sqlite");
    const copy = new Database(`${dir}/backup.sqlite`, { readonly: true });
    expect(copy.query("SELECT id FROM tenants").all()).toEqual([{ id: tenant.id }]);
    copy.close();
  }, 120_000);
});
