// The bare baseline: Bun.serve + bun:sqlite with scimd's pragmas and nothing else. Same paths, same request
// bodies, responses of the same size; per request exactly one indexed statement (one INSERT per POST, one
// SELECT per GET, one single-row UPDATE per PATCH; a member PATCH is one transaction of k INSERTs).
// No filter parser, no schema, no JWT: what is left is the floor a SCIM server on this stack cannot beat.
// Env: BARE_PORT (0 = any), BARE_DATA_DIR, BARE_TOKEN (the bearer token it compares, as a string).
import { Database } from "bun:sqlite";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = process.env.BARE_DATA_DIR ?? mkdtempSync(join(tmpdir(), "bench-bare-"));
const token = `Bearer ${process.env.BARE_TOKEN ?? "bare"}`;
mkdirSync(dir, { recursive: true });

const db = new Database(join(dir, "bare.sqlite"), { create: true, strict: true });
for (const pragma of [
  "journal_mode = WAL",
  "busy_timeout = 5000",
  "foreign_keys = ON",
  "synchronous = NORMAL",
  "cache_size = -32768",
  "temp_store = MEMORY",
]) {
  db.exec(`PRAGMA ${pragma}`);
}
// The same tables and indexes as scimd's users / groups / group_members, so each write maintains as many b-trees.
db.exec(`
CREATE TABLE IF NOT EXISTS users (
  pk INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL, id TEXT NOT NULL, user_name TEXT NOT NULL,
  user_name_key TEXT NOT NULL, external_id TEXT, display_name TEXT, active INTEGER NOT NULL DEFAULT 1,
  data TEXT NOT NULL, created TEXT NOT NULL, last_modified TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS users_tenant_id ON users(tenant_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS users_tenant_user_name ON users(tenant_id, user_name_key);
CREATE INDEX IF NOT EXISTS users_tenant_external_id ON users(tenant_id, external_id);
CREATE TABLE IF NOT EXISTS groups (
  pk INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL, id TEXT NOT NULL, display_name TEXT NOT NULL,
  data TEXT NOT NULL, created TEXT NOT NULL, last_modified TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS groups_tenant_id ON groups(tenant_id, id);
CREATE TABLE IF NOT EXISTS group_members (
  tenant_id TEXT NOT NULL, group_id TEXT NOT NULL, member_id TEXT NOT NULL, member_type TEXT NOT NULL,
  PRIMARY KEY (tenant_id, group_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_members_member ON group_members(tenant_id, member_id);
`);

const insertUser = db.query(
  `INSERT INTO users (tenant_id, id, user_name, user_name_key, external_id, display_name, active, data, created, last_modified)
   VALUES ($tenant, $id, $userName, $key, $externalId, $displayName, $active, $data, $now, $now)`,
);
const byUserName = db.query(
  "SELECT id, data, created, last_modified, version FROM users WHERE tenant_id = $tenant AND user_name_key = $key",
);
// RETURNING through .all(): .get() would leave the statement open and the WAL uncheckpointable.
const patchUser = db.query(
  `UPDATE users SET data = json_patch(data, $changes), active = coalesce($active, active), last_modified = $now,
     version = version + 1
   WHERE tenant_id = $tenant AND id = $id RETURNING id, data, created, last_modified, version`,
);
const insertGroup = db.query(
  `INSERT INTO groups (tenant_id, id, display_name, data, created, last_modified)
   VALUES ($tenant, $id, $displayName, $data, $now, $now)`,
);
const addMember = db.query(
  "INSERT OR IGNORE INTO group_members (tenant_id, group_id, member_id, member_type) VALUES ($tenant, $group, $member, 'User')",
);
const touchGroup = db.query(
  "UPDATE groups SET last_modified = $now, version = version + 1 WHERE tenant_id = $tenant AND id = $id",
);
const addMembers = db.transaction((tenant: string, group: string, ids: string[], now: string) => {
  for (const member of ids) addMember.run({ tenant, group, member });
  touchGroup.run({ tenant, id: group, now });
});

interface Row {
  id: string;
  data: string;
  created: string;
  last_modified: string;
  version: number;
}
type Body = Record<string, unknown>;
type Req = Request & { params: { tenant: string; id?: string } };

const JSON_HEADERS = { "content-type": "application/scim+json; charset=utf-8" };
const unauthorized = () => new Response('{"status":"401"}', { status: 401, headers: JSON_HEADERS });

function resource(base: string, type: "User" | "Group", row: Row): Body {
  const location = `${base}/${type}s/${row.id}`;
  return {
    ...(JSON.parse(row.data) as Body),
    id: row.id,
    meta: { resourceType: type, created: row.created, lastModified: row.last_modified, location, version: `W/"${row.version}"` },
  };
}

const baseOf = (req: Req) => `${new URL(req.url).origin}/scim/v2/${req.params.tenant}`;

function created(req: Req, type: "User" | "Group", body: Body, id: string, now: string): Response {
  const row = { id, data: JSON.stringify(body), created: now, last_modified: now, version: 1 };
  const out = resource(baseOf(req), type, row);
  const meta = out.meta as { location: string };
  return new Response(JSON.stringify(out), { status: 201, headers: { ...JSON_HEADERS, location: meta.location } });
}

/** Entra's default PATCH shape, reduced to a JSON merge patch: enough for the two shapes the bench sends. */
function mergePatchOf(body: Body): { changes: Body; active: number | null } {
  const changes: Body = {};
  let active: number | null = null;
  for (const op of (body.Operations as { path?: string; value?: unknown }[]) ?? []) {
    const path = op.path ?? "";
    if (path === "active") {
      const value = op.value === true || String(op.value).toLowerCase() === "true";
      changes.active = value;
      active = value ? 1 : 0;
    } else if (path.startsWith("name.")) {
      changes.name = { ...((changes.name as Body) ?? {}), [path.slice(5)]: op.value };
    } else if (path) {
      changes[path] = op.value;
    }
  }
  return { changes, active };
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.BARE_PORT ?? 0),
  routes: {
    "/scim/v2/:tenant/Users": {
      async POST(req: Req) {
        if (req.headers.get("authorization") !== token) return unauthorized();
        const body = (await req.json()) as Body;
        const id = Bun.randomUUIDv7();
        const now = new Date().toISOString();
        const userName = String(body.userName);
        insertUser.run({
          tenant: req.params.tenant,
          id,
          userName,
          key: userName.toLowerCase(),
          externalId: typeof body.externalId === "string" ? body.externalId : null,
          displayName: typeof body.displayName === "string" ? body.displayName : null,
          active: body.active === false ? 0 : 1,
          data: JSON.stringify(body),
          now,
        });
        return created(req, "User", body, id, now);
      },
      GET(req: Req) {
        if (req.headers.get("authorization") !== token) return unauthorized();
        const filter = new URL(req.url).searchParams.get("filter") ?? "";
        const match = /^userName eq "(.*)"$/.exec(filter);
        const rows = match ? (byUserName.all({ tenant: req.params.tenant, key: match[1].toLowerCase() }) as Row[]) : [];
        const base = baseOf(req);
        const list = {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
          totalResults: rows.length,
          itemsPerPage: rows.length,
          startIndex: 1,
          Resources: rows.map((row) => resource(base, "User", row)),
        };
        return new Response(JSON.stringify(list), { headers: JSON_HEADERS });
      },
    },
    "/scim/v2/:tenant/Users/:id": {
      async PATCH(req: Req) {
        if (req.headers.get("authorization") !== token) return unauthorized();
        const { changes, active } = mergePatchOf((await req.json()) as Body);
        const rows = patchUser.all({
          tenant: req.params.tenant,
          id: req.params.id ?? "",
          changes: JSON.stringify(changes),
          active,
          now: new Date().toISOString(),
        }) as Row[];
        if (!rows.length) return new Response('{"status":"404"}', { status: 404, headers: JSON_HEADERS });
        return new Response(JSON.stringify(resource(baseOf(req), "User", rows[0])), { headers: JSON_HEADERS });
      },
    },
    "/scim/v2/:tenant/Groups": {
      async POST(req: Req) {
        if (req.headers.get("authorization") !== token) return unauthorized();
        const body = (await req.json()) as Body;
        const id = Bun.randomUUIDv7();
        const now = new Date().toISOString();
        const { members: _members, ...data } = body;
        insertGroup.run({ tenant: req.params.tenant, id, displayName: String(body.displayName), data: JSON.stringify(data), now });
        return created(req, "Group", data, id, now);
      },
    },
    "/scim/v2/:tenant/Groups/:id": {
      async PATCH(req: Req) {
        if (req.headers.get("authorization") !== token) return unauthorized();
        const body = (await req.json()) as { Operations?: { op?: string; path?: string; value?: { value: string }[] }[] };
        const ids: string[] = [];
        for (const op of body.Operations ?? []) {
          if (op.op?.toLowerCase() === "add" && op.path === "members") for (const m of op.value ?? []) ids.push(m.value);
        }
        addMembers(req.params.tenant, req.params.id ?? "", ids, new Date().toISOString());
        return new Response(null, { status: 204 });
      },
    },
  },
  fetch: () => new Response("not found", { status: 404 }),
});

console.log(`bare listening on ${server.url.origin}`);
process.on("SIGTERM", () => {
  server.stop(true);
  db.close();
  process.exit(0);
});
