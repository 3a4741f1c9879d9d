// Request counters and latency histograms, fed by the provisioning log as it stores entries: only requests
// of existing tenants are counted, so the tenant label is bounded by the tenants table, the operation label
// by the operation enum and the status label by the five status classes.
import type { StoredEntry } from "../log/entry";
import { type Labels, sample } from "./exposition";

/** Seconds. Entra needs 25 requests per second per tenant; most answers take milliseconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/** One tenant and operation: requests per status class and the latency histogram. */
interface Series {
  labels: Labels;
  byStatus: number[];
  buckets: number[];
  sum: number;
  count: number;
}

export class RequestMetrics {
  private readonly tenants = new Map<string, Map<string, Series>>();

  observe(entries: StoredEntry[]) {
    for (const e of entries) {
      let operations = this.tenants.get(e.tenantId);
      if (!operations) this.tenants.set(e.tenantId, (operations = new Map()));
      let s = operations.get(e.operation);
      if (!s) {
        const labels = { tenant: e.tenantId, operation: e.operation };
        s = { labels, byStatus: STATUS_CLASSES.map(() => 0), buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
        operations.set(e.operation, s);
      }
      const statusClass = Math.min(Math.max(Math.floor(e.status / 100), 1), 5) - 1;
      s.byStatus[statusClass] = (s.byStatus[statusClass] ?? 0) + 1;
      const seconds = e.durationMs / 1000;
      let i = 0;
      while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] ?? 0)) i++;
      if (i < LATENCY_BUCKETS.length) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
      s.sum += seconds;
      s.count++;
    }
  }

  /** Deleted tenants leave no series behind. */
  retainTenants(existing: Set<string>) {
    for (const tenant of this.tenants.keys()) if (!existing.has(tenant)) this.tenants.delete(tenant);
  }

  private *series(): Generator<Series> {
    for (const operations of this.tenants.values()) yield* operations.values();
  }

  requestSamples(name: string): string[] {
    const out: string[] = [];
    for (const s of this.series()) {
      s.byStatus.forEach((n, i) => {
        if (n > 0) out.push(sample(name, { ...s.labels, status: STATUS_CLASSES[i] ?? "" }, n));
      });
    }
    return out;
  }

  latencySamples(name: string): string[] {
    const out: string[] = [];
    for (const s of this.series()) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((le, i) => {
        cumulative += s.buckets[i] ?? 0;
        out.push(sample(`${name}_bucket`, { ...s.labels, le: String(le) }, cumulative));
      });
      out.push(sample(`${name}_bucket`, { ...s.labels, le: "+Inf" }, s.count));
      out.push(sample(`${name}_sum`, s.labels, s.sum), sample(`${name}_count`, s.labels, s.count));
    }
    return out;
  }
}
