// The client address a request's log entry names. Entra only talks HTTPS, so scimd usually sits behind a TLS
// proxy, and then the socket's peer is that proxy on every request. A peer listed in SCIMD_TRUSTED_PROXIES is
// taken at its word: the client is the nearest address in X-Forwarded-For that is not itself a trusted proxy
// (read from the right, since each proxy appends the address it saw). Anyone else's X-Forwarded-For is
// ignored: the sender writes it.
import { BlockList, isIP } from "node:net";

const CIDR = /^(.+)\/(\d{1,3})$/;

/** An SCIMD_TRUSTED_PROXIES entry taken apart: family 0 when `address` is none. */
function entryParts(entry: string): { address: string; family: number; bits: number | undefined } {
  const [, address = entry, bits] = CIDR.exec(entry) ?? [];
  return { address, family: isIP(address), bits: bits === undefined ? undefined : Number(bits) };
}

/** Why an SCIMD_TRUSTED_PROXIES entry is refused, or undefined when it is an address or a CIDR range. */
export function proxyEntryProblem(entry: string): string | undefined {
  const { family, bits } = entryParts(entry);
  if (family === 0) return "not an IP address or CIDR range";
  const longest = family === 4 ? 32 : 128;
  if (bits !== undefined && bits > longest) return `a range whose prefix is longer than ${longest} bits`;
  return undefined;
}

/** An X-Forwarded-For hop as an address: bare, `[v6]`, `[v6]:port` or `v4:port` (Azure Application Gateway). */
export function hopAddress(hop: string): string | undefined {
  let text = hop.trim();
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0 || (close + 1 < text.length && !/^:\d+$/.test(text.slice(close + 1)))) return undefined;
    text = text.slice(1, close);
  } else if (/^[\d.]+:\d+$/.test(text)) {
    text = text.slice(0, text.indexOf(":"));
  }
  return isIP(text) === 0 ? undefined : text;
}

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  /** `entries` as validated by proxyEntryProblem. */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const { address, family, bits } = entryParts(entry);
      const type = family === 4 ? "ipv4" : "ipv6";
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, bits, type);
    }
    this.size = entries.length;
  }

  trusts(address: string): boolean {
    return this.list.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
  }

  /** The client behind `peer`, the socket's other end; `forwardedFor` is read only when `peer` is trusted. */
  clientOf(peer: string | null, forwardedFor: () => string | null): string | null {
    if (this.size === 0 || peer === null || !this.trusts(peer)) return peer;
    const hops = forwardedFor()?.split(",") ?? [];
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const address = hopAddress(hops[i] as string);
      // What lies left of a hop that is no address cannot be told from what the client wrote itself.
      if (address === undefined) break;
      client = address;
      if (!this.trusts(address)) break;
    }
    return client;
  }
}
