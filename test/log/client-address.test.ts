// Issue 5's client address, against real sockets on 127.0.0.1: the peer, unless it is a trusted proxy, and then
// the client that proxy names in X-Forwarded-For.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestTenant } from "../support/harness";
import { type LiveServer, startLiveServer } from "./live-server";
import { settle } from "./support";

let direct: LiveServer;
let proxied: LiveServer;
let elsewhere: LiveServer;

beforeAll(async () => {
  [direct, proxied, elsewhere] = await Promise.all([
    startLiveServer(),
    startLiveServer({ SCIMD_TRUSTED_PROXIES: "127.0.0.1,::1" }),
    startLiveServer({ SCIMD_TRUSTED_PROXIES: "10.0.0.0/8" }),
  ]);
});

afterAll(() => Promise.all([direct, proxied, elsewhere].map((s) => s.stop())));

/** The client address of the entry of one SCIM request to `path`, sent with `headers`. */
async function clientIpOf(s: LiveServer, t: TestTenant, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.token}`, ...headers } });
  expect(res.status).toBe(200);
  const requestId = res.headers.get("x-request-id");
  await settle(s.services);
  const list = (await (await s.admin(`/log?tenant=${t.id}&limit=5`)).json()) as { entries: { requestId: string; clientIp: string | null }[] };
  return list.entries.find((e) => e.requestId === requestId)?.clientIp;
}

const FORWARDED = { "x-forwarded-for": "198.51.100.66, 203.0.113.9" };

describe("the client address in the provisioning log", () => {
  test("by default it is the socket's peer, and X-Forwarded-For is the sender's to write, so ignored", async () => {
    const t = await direct.tenant();
    expect(await clientIpOf(direct, t, "/Users", FORWARDED)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  test("from a trusted proxy it is the nearest untrusted hop of X-Forwarded-For", async () => {
    const t = await proxied.tenant();
    expect(await clientIpOf(proxied, t, "/Users", FORWARDED)).toBe("203.0.113.9");
    expect(await clientIpOf(proxied, t, "/Users", { "x-forwarded-for": "203.0.113.9:51234, 127.0.0.1" })).toBe("203.0.113.9");
  });

  test("from a trusted proxy that forwarded nothing it is the proxy", async () => {
    const t = await proxied.tenant();
    expect(await clientIpOf(proxied, t, "/Users")).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  test("a peer outside the trusted ranges is not believed", async () => {
    const t = await elsewhere.tenant();
    expect(await clientIpOf(elsewhere, t, "/Users", FORWARDED)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  test("a lower-case endpoint (answered as its canonical copy) keeps its client address", async () => {
    const t = await proxied.tenant();
    expect(await clientIpOf(direct, await direct.tenant(), "/users")).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(await clientIpOf(proxied, t, "/users", FORWARDED)).toBe("203.0.113.9");
  });
});
