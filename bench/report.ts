// Turns the measured figures into the printed table (Markdown, so it pastes into docs/benchmarks.md).
import type { Summary } from "./load";
import type { MemberFigures, Pair } from "./phases";

export interface Row {
  measure: string;
  scimd: string;
  bare: string;
  ratio: string;
  target: string;
  met: boolean | undefined;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : "–");
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(0)} %` : "–");

export const rate = (s: Summary, unit = "/s") => `${int(s.perSecond)}${unit} (p50 ${ms(s.p50Ms)} ms, p99 ${ms(s.p99Ms)} ms)`;

/** A scimd figure against the bare stack's, with the target ratio. */
export function ratioRow(measure: string, scimd: Summary, bare: Summary, target: number): Row {
  const ratio = scimd.perSecond / bare.perSecond;
  return { measure, scimd: rate(scimd), bare: rate(bare), ratio: pct(ratio), target: `≥ ${pct(target)} of bare`, met: ratio >= target };
}

export function membersRow(scimdMembersPerSecond: number, scimd: Summary, bareMembersPerSecond: number, bare: Summary, target: number): Row {
  const per = (m: number, s: Summary) => `${int(m)} members/s (per PATCH p50 ${ms(s.p50Ms)} ms, p99 ${ms(s.p99Ms)} ms)`;
  return {
    measure: "member additions, 100 per PATCH, one group",
    scimd: per(scimdMembersPerSecond, scimd),
    bare: per(bareMembersPerSecond, bare),
    ratio: pct(scimdMembersPerSecond / bareMembersPerSecond),
    target: `≥ ${int(target)} members/s`,
    met: scimdMembersPerSecond >= target,
  };
}

export function plainRow(measure: string, scimd: string, bare: string, target = "", met?: boolean): Row {
  return { measure, scimd, bare, ratio: "", target, met };
}

export function markdownTable(rows: Row[]): string {
  const head = ["measure", "scimd", "bare stack", "scimd / bare", "target", "met"];
  const lines = [head, head.map(() => "---")];
  for (const r of rows) lines.push([r.measure, r.scimd, r.bare, r.ratio, r.target, r.met === undefined ? "" : r.met ? "yes" : "**no**"]);
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** CPU time per request of each server process, and of the load generator: steadier than rates on a shared box. */
export function cpuTable(phases: Record<string, { scimd: Summary; bare: Summary }>): string {
  const lines = [
    "| phase | scimd server CPU µs/req | bare server CPU µs/req | bare / scimd | client CPU µs/req (scimd run / bare run) |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const [name, { scimd, bare }] of Object.entries(phases)) {
    lines.push(
      `| ${name} | ${int(scimd.serverCpuUsPerRequest)} | ${int(bare.serverCpuUsPerRequest)} | ${pct(bare.serverCpuUsPerRequest / scimd.serverCpuUsPerRequest)} | ${int(scimd.clientCpuUsPerRequest)} / ${int(bare.clientCpuUsPerRequest)} |`,
    );
  }
  return lines.join("\n");
}

export interface Targets {
  creates: number;
  lookups: number;
  patches: number;
  membersPerSecond: number;
  peakRssMb: number;
}

export interface Results {
  users: number;
  created: Pair<Summary>;
  found: Pair<Summary>;
  patched: Pair<Summary>;
  grown: Pair<MemberFigures>;
  rss: Pair<{ peak: number; current: number }>;
  rssAfterCreates: { peak: number; current: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** First 10 vs last 10 PATCHes (sent one at a time), and the concurrent rate at 10–20 % vs 90–100 % of the group. */
function growth(f: MemberFigures) {
  const first = median(f.firstPatchesMs);
  const last = median(f.lastPatchesMs);
  const rounds = f.roundMembersPerSecond;
  const early = rounds[1] ?? rounds[0] ?? NaN;
  const late = rounds.at(-1) ?? NaN;
  const latency = last / first;
  const rate = early / late;
  return {
    flat: latency <= 1.5 && rate <= 1.5,
    text: `${ms(first)} → ${ms(last)} ms per PATCH (×${latency.toFixed(1)}); ${int(early)} → ${int(late)} members/s (cost ×${rate.toFixed(1)})`,
  };
}

export function tableRows(r: Results, t: Targets): Row[] {
  const scimdGrowth = growth(r.grown.scimd);
  const bareGrowth = growth(r.grown.bare);
  const users = r.users.toLocaleString("en-US");
  return [
    ratioRow("creates (POST /Users, Entra body)", r.created.scimd, r.created.bare, t.creates),
    ratioRow('lookups (GET /Users?filter=userName eq "…")', r.found.scimd, r.found.bare, t.lookups),
    ratioRow("PATCH /Users (Entra disable / rename)", r.patched.scimd, r.patched.bare, t.patches),
    membersRow(r.grown.scimd.membersPerSecond, r.grown.scimd.perPatch, r.grown.bare.membersPerSecond, r.grown.bare.perPatch, t.membersPerSecond),
    plainRow(
      `member PATCH cost as the group grows to ${users}: first 10 vs last 10 PATCHes (median, one at a time); concurrent rate at 10–20 % vs 90–100 % of the group`,
      scimdGrowth.text,
      bareGrowth.text,
      "flat: both within ×1.5",
      scimdGrowth.flat,
    ),
    plainRow(
      `peak RSS with ${users} users (VmHWM)`,
      `${r.rss.scimd.peak.toFixed(0)} MB (${r.rssAfterCreates.peak.toFixed(0)} MB after the creates)`,
      `${r.rss.bare.peak.toFixed(0)} MB`,
      `< ${t.peakRssMb} MB`,
      r.rss.scimd.peak < t.peakRssMb,
    ),
  ];
}
