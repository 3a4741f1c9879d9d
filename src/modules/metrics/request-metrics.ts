// Request counters and latency histograms, fed by the provisioning log as it stores entries: only requests
// of existing tenants are counted, so the tenant label is bounded by the tenants table, the operation label
// by the operation enum and the status label by the five status classes.
import type { StoredEntry } from "../log/entry";
import { type Labels, sample } from "./exposition";

/** Seconds. Entra needs 25 requests per second per tenant; most answers take milliseconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

export class RequestMetrics {
  private readonly requests = new Map<string, { labels: Labels; value: number }>();
  private readonly latency = new Map<string, Histogram>();

  observe(entries: StoredEntry[]) {
    for (const e of entries) {
      const status = `${Math.floor(e.status / 100)}xx`;
      const key = `${e.tenantId}\u0000${e.operation}`;
      const counter = this.requests.get(`${key}\u0000${status}`);
      if (counter) counter.value++;
      else this.requests.set(`${key}\u0000${status}`, { labels: { tenant: e.tenantId, operation: e.operation, status }, value: 1 });
      let h = this.latency.get(key);
      if (!h) {
        h = { labels: { tenant: e.tenantId, operation: e.operation }, counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
        this.latency.set(key, h);
      }
      const seconds = e.durationMs / 1000;
      const i = LATENCY_BUCKETS.findIndex((le) => seconds <= le);
      if (i >= 0) h.counts[i]++;
      h.sum += seconds;
      h.count++;
    }
  }

  /** Deleted tenants leave no series behind. */
  retainTenants(existing: Set<string>) {
    for (const map of [this.requests, this.latency] as Map<string, { labels: Labels }>[]) {
      for (const [key, { labels }] of map) if (!existing.has(labels.tenant ?? "")) map.delete(key);
    }
  }

  requestSamples(name: string): string[] {
    return [...this.requests.values()].map((c) => sample(name, c.labels, c.value));
  }

  latencySamples(name: string): string[] {
    const out: string[] = [];
    for (const h of this.latency.values()) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((le, i) => {
        cumulative += h.counts[i] ?? 0;
        out.push(sample(`${name}_bucket`, { ...h.labels, le: String(le) }, cumulative));
      });
      out.push(sample(`${name}_bucket`, { ...h.labels, le: "+Inf" }, h.count));
      out.push(sample(`${name}_sum`, h.labels, h.sum), sample(`${name}_count`, h.labels, h.count));
    }
    return out;
  }
}
