// The client address of a log entry behind a TLS proxy: X-Forwarded-For is believed only from a peer listed in
// SCIMD_TRUSTED_PROXIES, and read from the right (each proxy appends the address it saw).
import { describe, expect, test } from "bun:test";
import { hopAddress, proxyEntryProblem, TrustedProxies } from "../../src/http/client-address";

describe("SCIMD_TRUSTED_PROXIES entries", () => {
  test.each([
    ["127.0.0.1", undefined],
    ["10.0.0.0/8", undefined],
    ["0.0.0.0/0", undefined],
    ["::1", undefined],
    ["fd00::/8", undefined],
    ["::ffff:10.0.0.1", undefined],
    ["10.0.0.0/33", "a range whose prefix is longer than 32 bits"],
    ["fd00::/129", "a range whose prefix is longer than 128 bits"],
    ["proxy.example.com", "not an IP address or CIDR range"],
    ["10.0.0", "not an IP address or CIDR range"],
    ["10.0.0.0/", "not an IP address or CIDR range"],
    ["10.0.0.0/x", "not an IP address or CIDR range"],
    ["*", "not an IP address or CIDR range"],
  ])("%s → %s", (entry, problem) => {
    expect(proxyEntryProblem(entry)).toBe(problem);
  });
});

describe("an X-Forwarded-For hop as an address", () => {
  test.each([
    ["203.0.113.9", "203.0.113.9"],
    ["  203.0.113.9 ", "203.0.113.9"],
    ["203.0.113.9:51234", "203.0.113.9"], // Azure Application Gateway appends the port
    ["2001:db8::7", "2001:db8::7"],
    ["[2001:db8::7]", "2001:db8::7"],
    ["[2001:db8::7]:443", "2001:db8::7"],
    ["::ffff:203.0.113.9", "::ffff:203.0.113.9"],
    ["unknown", undefined],
    ["", undefined],
    ["[2001:db8::7", undefined],
    ["[2001:db8::7]x", undefined],
    ["203.0.113.9:port", undefined],
    ["evil.example.com", undefined],
  ])("%j → %j", (hop, address) => {
    expect(hopAddress(hop)).toBe(address);
  });
});

describe("the client behind a peer", () => {
  const proxies = new TrustedProxies(["127.0.0.1", "10.0.0.0/8", "fd00::/8"]);
  test.each([
    // [peer, X-Forwarded-For, client]
    ["198.51.100.1", "203.0.113.9", "198.51.100.1"], // an untrusted peer's header is its own words
    ["127.0.0.1", null, "127.0.0.1"], // a trusted proxy that forwarded nothing
    ["127.0.0.1", "203.0.113.9", "203.0.113.9"],
    ["::ffff:127.0.0.1", "203.0.113.9", "203.0.113.9"], // a dual-stack socket's IPv4 peer
    ["127.0.0.1", "198.51.100.66, 203.0.113.9", "203.0.113.9"], // the leftmost is whatever the client wrote
    ["127.0.0.1", "203.0.113.9, 10.1.2.3", "203.0.113.9"], // two trusted proxies in a row
    ["127.0.0.1", "10.9.9.9, 10.1.2.3", "10.9.9.9"], // every hop trusted: the farthest
    ["127.0.0.1", "203.0.113.9, garbage, 10.1.2.3", "10.1.2.3"], // no address: the walk stops
    ["127.0.0.1", "203.0.113.9:50000", "203.0.113.9"],
    ["fd00::5", "[2001:db8::7]:443", "2001:db8::7"],
    ["127.0.0.1", "", "127.0.0.1"],
    [null, "203.0.113.9", null], // no socket (app.handle)
  ])("peer %s, X-Forwarded-For %j → %s", (peer, forwarded, client) => {
    expect(proxies.clientOf(peer, () => forwarded)).toBe(client);
  });

  test("with no trusted proxy the header is never read", () => {
    let read = 0;
    const client = new TrustedProxies([]).clientOf("127.0.0.1", () => (read++, "203.0.113.9"));
    expect([client, read]).toEqual(["127.0.0.1", 0]);
  });
});
