// `scimd healthcheck` and `scimd backup` as an operator (or a container runtime) runs them: a well-formed command
// that cannot do its work says why in one line, without the usage text, and exits 1.
import { describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { freshDir, runEntry, serveEntry } from "../support/entry";

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe("healthcheck", () => {
  // Found by a review: it asked http://::1:PORT/healthz, no URL at all, and called a healthy server unhealthy.
  test("a server on an IPv6 address is healthy", async () => {
    const env = { SCIMD_DATA_DIR: freshDir(), SCIMD_HOST: "::1", SCIMD_PORT: String(await freePort("::1")) };
    const server = await serveEntry(env);
    try {
      const r = await runEntry(["healthcheck"], env);
      expect([r.code, r.err]).toEqual([0, ""]);
      expect(JSON.parse(r.out)).toEqual({ healthy: true });
    } finally {
      await server.stop();
    }
  }, 20_000);

  test("no server: one line naming the address asked, exit 1, no usage text", async () => {
    const port = await freePort("127.0.0.1");
    const r = await runEntry(["healthcheck"], { SCIMD_DATA_DIR: freshDir(), SCIMD_PORT: String(port) });
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split("\n")).toEqual([`scimd: unhealthy: no answer from http://127.0.0.1:${port}/healthz`]);
  }, 20_000);
});
