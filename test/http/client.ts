// A SCIM client over the real router (app.handle) for the HTTP and Entra tests, plus database snapshots
// that prove a refused request changed nothing. URNs are spelt out here, not imported: a typo in src/ must fail.
import { expect } from "bun:test";
import { createHarness, type Harness } from "../support/harness";

export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const AD_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

export type Doc = Record<string, unknown>;

export interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or {} for an empty one. */
  body: Doc;
  text: string;
}

export interface Tenant {
  id: string;
  token: string;
  url: string;
}

export interface Client {
  h: Harness;
  tenant: Tenant;
  /** `path` is relative to the Tenant URL ("/Users?filter=…"). A string body is sent as is. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  del(path: string, headers?: Record<string, string>): Promise<Reply>;
  /** POST /Users, expecting 201; returns the created resource. */
  user(body: Doc): Promise<Doc>;
  /** POST /Groups, expecting 201; returns the created resource. */
  group(body: Doc): Promise<Doc>;
}

/** A harness with no rate limit (the fuzz loop and paging fixtures send hundreds of requests). */
export const harness = () => createHarness({ SCIMD_RATE_LIMIT: "0" });

export async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: Doc = {};
  if (text !== "") body = JSON.parse(text) as Doc;
  return { status: res.status, headers: res.headers, body, text };
}

export function client(h: Harness, tenant: Tenant, token = tenant.token): Client {
  const send: Client["send"] = async (method, path, body, headers = {}) => {
    const res = await h.request(method, `${tenant.url}${path}`, { token, body, headers });
    return reply(res);
  };
  const created = async (path: string, body: Doc) => {
    const r = await send("POST", path, body);
    if (r.status !== 201) throw new Error(`POST ${path} → ${r.status} ${r.text}`);
    return r.body;
  };
  return {
    h,
    tenant,
    send,
    get: (path, headers) => send("GET", path, undefined, headers),
    post: (path, body, headers) => send("POST", path, body, headers),
    put: (path, body, headers) => send("PUT", path, body, headers),
    patch: (path, body, headers) => send("PATCH", path, body, headers),
    del: (path, headers) => send("DELETE", path, undefined, headers),
    user: (body) => created("/Users", { schemas: [USER], ...body }),
    group: (body) => created("/Groups", { schemas: [GROUP], ...body }),
  };
}

/** A fresh harness and one tenant. */
export async function setUp(name = "Contoso"): Promise<Client> {
  const h = await harness();
  return client(h, await h.newTenant(name));
}

export const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

export const resources = (body: Doc): Doc[] => (body.Resources ?? []) as Doc[];
export const idsOf = (body: Doc): string[] => resources(body).map((r) => String(r.id));

/** RFC 7644 §3.12: the error body, with the HTTP status as a string and the given scimType. */
export function expectScimError(r: Reply, status: number, scimType?: string) {
  expect({ status: r.status, scimType: r.body.scimType }).toEqual({ status, scimType });
  expect(r.headers.get("content-type")).toStartWith("application/scim+json");
  expect(r.body.schemas).toEqual([ERROR]);
  expect(r.body.status).toBe(String(status));
  expect(r.body.detail).toBeString();
}

/** Every row of every SCIM table, in a fixed order: equal snapshots mean the request changed nothing. */
export function snapshot(h: Harness): string {
  const db = h.services.db;
  return JSON.stringify({
    users: db.query("SELECT * FROM users ORDER BY pk").all(),
    groups: db.query("SELECT * FROM groups ORDER BY pk").all(),
    members: db.query("SELECT * FROM group_members ORDER BY tenant_id, group_id, member_id").all(),
  });
}

export const q = encodeURIComponent;

/** Mulberry32: a small seeded RNG, so the fuzz loop replays exactly. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}
