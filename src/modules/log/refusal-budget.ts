// Refused requests (a 401, or a stranger's 404/405: anything 4xx the SCIM guard did not let in) are logged one
// by one only up to a budget per tenant per window. A Tenant URL is no secret, and each refusal was a row of
// that tenant's log: a flood of them pruned the tenant's real entries (retention counts rows per tenant). Past
// the budget they are counted, by status and client address, and one summary entry per window says how many
// more there were and from where. Entra with a wrong token is refused a few times a cycle and stays in the log.
import type { PendingEntry } from "./entry";

export const REFUSAL_WINDOW_MS = 10 * 60_000;
/** Addresses a summary names; the rest are counted together. */
const NAMED_ADDRESSES = 10;
/**
 * Tenant ids with a window open at once (a stranger may name made-up ones: their entries are dropped when stored).
 * Beyond it the oldest window ends early, so spraying made-up ids costs memory up to here and no more, and buys a
 * real tenant's budget back only once per this many requests.
 */
const MAX_WINDOWS = 100_000;
const UNKNOWN_ADDRESS = "unknown address";

interface Window {
  start: number;
  logged: number;
  unlogged: number;
  last: number;
  /** Made at the first refusal past the budget: most windows never need them. */
  counts?: { statuses: Map<number, number>; addresses: Map<string, number>; otherAddresses: number };
}

const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
const byCount = <K>(map: Map<K, number>) => [...map].sort((a, b) => b[1] - a[1]);

export class RefusalBudget {
  private windows = new Map<string, Window>();
  /** Summaries of windows that a new refusal ended before a sweep saw them. */
  private ended: PendingEntry[] = [];
  /** Refusals counted in a summary instead of logged one by one, since the start. */
  unloggedTotal = 0;

  /** `perWindow`: refusals logged one by one per tenant per window; 0 logs every one. */
  constructor(
    private readonly perWindow: number,
    private readonly maxWindows = MAX_WINDOWS,
  ) {}

  /** Whether this refusal gets an entry of its own; if not, it is counted in its window's summary. */
  admit(tenantId: string, status: number, clientIp: string | null, now = Date.now()): boolean {
    if (this.perWindow === 0) return true;
    let w = this.windows.get(tenantId);
    if (w && now - w.start >= REFUSAL_WINDOW_MS) {
      if (w.unlogged > 0) this.ended.push(this.summary(tenantId, w));
      this.windows.delete(tenantId);
      w = undefined;
    }
    if (!w) {
      if (this.windows.size >= this.maxWindows) this.endOldest();
      w = { start: now, logged: 0, unlogged: 0, last: now };
      this.windows.set(tenantId, w);
    }
    if (w.logged < this.perWindow) {
      w.logged++;
      return true;
    }
    w.unlogged++;
    w.last = now;
    this.unloggedTotal++;
    const counts = (w.counts ??= { statuses: new Map(), addresses: new Map(), otherAddresses: 0 });
    count(counts.statuses, status);
    const address = clientIp ?? UNKNOWN_ADDRESS;
    if (counts.addresses.has(address) || counts.addresses.size < NAMED_ADDRESSES) count(counts.addresses, address);
    else counts.otherAddresses++;
    return false;
  }

  /** Windows are kept in the order they opened (a renewed one is deleted and set again). */
  private endOldest() {
    const [tenantId, w] = this.windows.entries().next().value ?? [];
    if (tenantId === undefined || w === undefined) return;
    this.windows.delete(tenantId);
    if (w.unlogged > 0) this.ended.push(this.summary(tenantId, w));
  }

  /** The summaries of windows that ended (all of them when `final`), each once; ended windows are forgotten. */
  summaries(now = Date.now(), final = false): PendingEntry[] {
    const out = this.ended;
    this.ended = [];
    for (const [tenantId, w] of this.windows) {
      if (!final && now - w.start < REFUSAL_WINDOW_MS) continue;
      this.windows.delete(tenantId);
      if (w.unlogged > 0) out.push(this.summary(tenantId, w));
    }
    return out;
  }

  private summary(tenantId: string, w: Window): PendingEntry {
    const counts = w.counts ?? { statuses: new Map<number, number>(), addresses: new Map<string, number>(), otherAddresses: 0 };
    const statuses = byCount(counts.statuses);
    const addresses = byCount(counts.addresses).map(([ip, n]) => `${ip} (${n})`);
    if (counts.otherAddresses > 0) addresses.push(`${counts.otherAddresses} from other addresses`);
    const minutes = REFUSAL_WINDOW_MS / 60_000;
    const detail =
      `${w.unlogged} more refused requests from ${new Date(w.start).toISOString()} to ${new Date(w.last).toISOString()} ` +
      `not logged one by one (the first ${this.perWindow} per ${minutes} minutes are): ` +
      `${statuses.map(([s, n]) => `${s} ×${n}`).join(", ")}; from ${addresses.join(", ")}`;
    return {
      tenantId,
      time: w.last,
      requestId: crypto.randomUUID(),
      method: "*",
      path: `/scim/v2/${tenantId}`,
      operation: "other",
      resourceType: null,
      resourceId: null,
      resourceName: null,
      status: statuses[0]?.[0] ?? 401,
      scimType: null,
      detail,
      durationMs: 0,
      clientIp: byCount(counts.addresses)[0]?.[0] ?? null,
      userAgent: null,
      requestHeaders: null,
      requestBody: null,
      responseBody: null,
    };
  }
}
