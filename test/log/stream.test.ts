// Issue 5 part 2: the live tail over Server-Sent Events, against a real listening server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { dataEvents, type LiveServer, readStream, startLiveServer } from "./live-server";
import { settle, syntheticEntry } from "./support";
import type { TestTenant } from "../support/harness";

let s: LiveServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  s = await startLiveServer();
  s.services.requestLog.heartbeatMs = 200;
  a = await s.tenant();
  b = await s.tenant();
});

afterAll(() => s.stop());

const spc = (t: { token: string; url: string }) => fetch(`${t.url}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${t.token}` } });

test("recording leaves SCIM answers as the handler built them (Content-Length, no re-streaming)", async () => {
  const res = await spc(a);
  expect(res.headers.get("x-request-id")).toBeTruthy();
  expect(res.headers.get("transfer-encoding")).toBeNull();
  expect(Number(res.headers.get("content-length"))).toBe((await res.arrayBuffer()).byteLength);
});

describe("GET /admin/v1/log/stream", () => {
  test("text/event-stream: one event per new entry of the tenant, heartbeats in between", async () => {
    await settle(s.services);
    const res = await s.admin(`/log/stream?tenant=${a.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/event-stream");
    const reading = readStream(res, (text) => dataEvents(text).length >= 2 && text.includes(": heartbeat"), 5000);
    await Bun.sleep(50);
    const first = await spc(a);
    await spc(b); // another tenant: not in this stream
    const second = await fetch(`${a.url}/Users`); // a 401 of tenant A is an event too
    const text = await reading;
    const events = dataEvents(text);
    expect(events.map((e) => e.data.requestId)).toEqual([first.headers.get("x-request-id"), second.headers.get("x-request-id")]);
    expect(events.map((e) => e.data.status)).toEqual([200, 401]);
    expect(events.every((e) => e.data.tenantId === a.id && e.id > 0)).toBe(true);
    expect(text).toStartWith("retry: 3000\n: connected\n\n");
    expect(text).toContain(": heartbeat\n\n");
  });

  test("without a tenant: every tenant's entries, with the client address of the real socket", async () => {
    const res = await s.admin("/log/stream");
    const reading = readStream(res, (text) => dataEvents(text).length >= 2, 5000);
    await Bun.sleep(50);
    await spc(a);
    await spc(b);
    const events = dataEvents(await reading);
    expect(new Set(events.map((e) => e.data.tenantId))).toEqual(new Set([a.id, b.id]));
    expect(events[0]!.data.clientIp).toMatch(/127\.0\.0\.1/);
  });

  test("Last-Event-ID replays what was missed, then continues live", async () => {
    const [latest] = ((await (await s.admin(`/log?tenant=${a.id}&limit=1`)).json()) as { entries: { id: number }[] }).entries;
    const missed = await spc(a);
    await Bun.sleep(20);
    const res = await s.admin(`/log/stream?tenant=${a.id}`, { headers: { "last-event-id": String(latest!.id) } });
    const reading = readStream(res, (text) => dataEvents(text).length >= 2, 5000);
    await Bun.sleep(50);
    const live = await spc(a);
    const events = dataEvents(await reading);
    expect(events.map((e) => e.data.requestId)).toEqual([missed.headers.get("x-request-id"), live.headers.get("x-request-id")]);
  });

  test("a token in the query string is not sent over the stream", async () => {
    const res = await s.admin(`/log/stream?tenant=${a.id}`);
    const reading = readStream(res, (text) => dataEvents(text).length >= 1, 5000);
    await Bun.sleep(50);
    expect((await fetch(`${a.url}/Users?access_token=${a.token}`)).status).toBe(401);
    const text = await reading;
    expect(dataEvents(text)[0]!.data.path).toBe(`/scim/v2/${a.id}/Users?access_token=[REDACTED]`);
    expect(text).not.toContain(a.token);
  });

  // Found by a review pass: the replay stopped after 1,000 entries and went live, skipping the rest.
  test("Last-Event-ID after 1,500 missed entries: all replayed in order, then entries stored meanwhile, then live", async () => {
    await settle(s.services);
    const [latest] = ((await (await s.admin(`/log?tenant=${a.id}&limit=1`)).json()) as { entries: { id: number }[] }).entries;
    const writer = s.services.requestLog.writer;
    for (let i = 0; i < 1500; i++) writer.push(syntheticEntry(a.id, { requestId: `missed-${i}` }));
    writer.flush();
    const res = await s.admin(`/log/stream?tenant=${a.id}`, { headers: { "last-event-id": String(latest!.id) } });
    const reading = readStream(res, (text) => text.includes('"requestId":"live"'), 5000);
    // Stored while the replay may still be going on: each must come exactly once, wherever it lands.
    for (let i = 0; i < 3; i++) {
      writer.push(syntheticEntry(a.id, { requestId: `meanwhile-${i}` }));
      writer.flush();
      await Bun.sleep(1);
    }
    await Bun.sleep(100);
    writer.push(syntheticEntry(a.id, { requestId: "live" }));
    writer.flush();
    const events = dataEvents(await reading);
    const expected = [...Array.from({ length: 1500 }, (_, i) => `missed-${i}`), "meanwhile-0", "meanwhile-1", "meanwhile-2", "live"];
    expect(events.map((e) => e.data.requestId)).toEqual(expected);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));
  });

  test("needs the admin token", async () => {
    expect((await fetch(`${s.url}/admin/v1/log/stream`)).status).toBe(401);
  });

  test("a client that goes away is unsubscribed", async () => {
    const streams = () => (s.services.requestLog as unknown as { streams: Set<unknown> }).streams.size;
    const before = streams();
    const controller = new AbortController();
    const res = await s.admin("/log/stream", { signal: controller.signal });
    await readStream(res, (text) => text.includes(": connected"), 2000);
    await Bun.sleep(50);
    controller.abort();
    await spc(a); // the next write notices the closed stream at the latest
    for (let i = 0; i < 50 && streams() > before; i++) await Bun.sleep(20);
    expect(streams()).toBe(before);
  });
});
