// Issue 6 §6: request limits. Body size is ours (SCIMD_MAX_BODY_BYTES → 413 in each API's error shape); header
// size is Bun's (16 KiB → 431; raise it with BUN_OPTIONS=--max-http-header-size=N); slow clients are cut by Bun's idle timeout (SCIMD_REQUEST_TIMEOUT) for bodies,
// and by Bun's fixed ~10 s header timeout for requests whose headers never finish.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/open";
import { startServer } from "../../src/server";
import { createServices } from "../../src/services";
import { createHarness, type Harness, newClient, tokenRequest } from "./support";

const LIMIT = 1024;

describe("body size (SCIMD_MAX_BODY_BYTES=1024)", () => {
  let h: Harness;
  let t: { id: string; token: string };
  beforeAll(async () => {
    h = await createHarness({ SCIMD_MAX_BODY_BYTES: String(LIMIT) });
    t = await h.newTenant();
  });

  test("token endpoint: a body over the limit → 413 invalid_request (RFC 6749 §5.2 shape)", async () => {
    const c = await newClient(h, t.id);
    const res = await tokenRequest(h, t.id, { grant_type: "client_credentials", ...c, padding: "x".repeat(LIMIT) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });

  test("token endpoint: a body just under the limit is read", async () => {
    const c = await newClient(h, t.id);
    const form = new URLSearchParams({ grant_type: "client_credentials", ...c }).toString();
    const res = await tokenRequest(h, t.id, `${form}&pad=${"x".repeat(LIMIT - form.length - 5)}`);
    expect(res.status).toBe(200);
  });

  test("POST /Users: a body over the limit → 413 with a SCIM error body", async () => {
    const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "big@example.com", displayName: "x".repeat(LIMIT) };
    const res = await h.request("POST", `/scim/v2/${t.id}/Users`, { token: t.token, body: user });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toStartWith("application/scim+json");
    expect(await res.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "413" });
  });

  test("POST /Users: an oversized body without a valid token → 401, not 413 (authentication first)", async () => {
    const res = await h.request("POST", `/scim/v2/${t.id}/Users`, { token: "nope", body: { padding: "x".repeat(LIMIT * 4) } });
    expect(res.status).toBe(401);
  });
});

describe("on a real listening server", () => {
  let server: ReturnType<typeof startServer>;
  let port: number;
  beforeAll(async () => {
    const config = loadConfig({
      SCIMD_PORT: "0",
      SCIMD_ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
      SCIMD_MAX_BODY_BYTES: String(LIMIT),
      SCIMD_REQUEST_TIMEOUT: "1",
    });
    const services = await createServices(config, "test", { db: openDatabase(":memory:"), serving: true });
    server = startServer(services);
    port = server.port;
  });
  afterAll(() => server.stop());

  test("a 64 KiB header → 431 from Bun (its header limit is 16 KiB), and the server keeps serving", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { "x-big": "a".repeat(64 * 1024) } });
    expect(res.status).toBe(431);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  test("a 12 KiB header (a large but legitimate token) is accepted", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { "x-big": "a".repeat(12 * 1024) } });
    expect(res.status).toBe(200);
  });

  test("a body far over the limit is refused by Bun itself with 413", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/oauth/v1/x/token`, { method: "POST", body: "x".repeat(LIMIT + 128 * 1024) });
    expect(res.status).toBe(413);
  });

  /** Opens a connection, writes `payload`, never finishes; resolves with how long until the server closed it. */
  const stall = (payload: string) =>
    new Promise<number>((resolve) => {
      const started = Date.now();
      const socket = connect(port, "127.0.0.1", () => socket.write(payload));
      socket.on("close", () => resolve(Date.now() - started));
      socket.on("error", () => undefined);
    });

  test("slow clients are cut off: a stalled body after SCIMD_REQUEST_TIMEOUT (Bun's 4 s timer granularity), stalled headers after ~10 s", async () => {
    const [body, headers] = await Promise.all([
      stall(`POST /oauth/v1/x/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant`),
      stall("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
    ]);
    expect(body).toBeLessThan(6_000);
    expect(headers).toBeLessThan(15_000);
  }, 30_000);
});

test("BUN_OPTIONS=--max-http-header-size raises Bun's header limit for a real scimd process", async () => {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/index.ts"), "serve"], {
    env: {
      ...process.env,
      BUN_OPTIONS: "--max-http-header-size=131072",
      SCIMD_PORT: "0",
      SCIMD_DATA_DIR: mkdtempSync(join(tmpdir(), "scimd-headers-")),
      SCIMD_ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    const reader = proc.stdout.getReader();
    let text = "";
    while (!/listening on (\S+)/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`scimd exited: ${text}`);
      text += new TextDecoder().decode(value);
    }
    const url = /listening on (\S+)/.exec(text)?.[1];
    const res = await fetch(`${url}/healthz`, { headers: { "x-big": "a".repeat(64 * 1024) } });
    expect(res.status).toBe(200);
  } finally {
    proc.kill();
    await proc.exited;
  }
});
