-- Tenants, their signing keys and token metadata (tokens themselves are never stored).
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created TEXT NOT NULL
) STRICT;

CREATE TABLE signing_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kid TEXT NOT NULL,
  alg TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  created TEXT NOT NULL,
  retired TEXT,
  PRIMARY KEY (tenant_id, kid)
) STRICT;

CREATE TABLE tokens (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  jti TEXT NOT NULL,
  kid TEXT NOT NULL,
  description TEXT,
  created TEXT NOT NULL,
  expires TEXT,
  revoked TEXT,
  last_used TEXT,
  PRIMARY KEY (tenant_id, jti)
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- SCIM resources. `data` is the resource JSON without id, meta, groups, members and password;
-- hot attributes are copied into indexed columns. `pk` gives a stable order for paging.
CREATE TABLE users (
  pk INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  user_name_key TEXT NOT NULL,
  external_id TEXT,
  display_name TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT,
  data TEXT NOT NULL,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX users_tenant_id ON users(tenant_id, id);
CREATE UNIQUE INDEX users_tenant_user_name ON users(tenant_id, user_name_key);
CREATE INDEX users_tenant_external_id ON users(tenant_id, external_id);

CREATE TABLE groups (
  pk INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  display_name_key TEXT NOT NULL,
  external_id TEXT,
  data TEXT NOT NULL,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX groups_tenant_id ON groups(tenant_id, id);
CREATE UNIQUE INDEX groups_tenant_display_name ON groups(tenant_id, display_name_key);
CREATE INDEX groups_tenant_external_id ON groups(tenant_id, external_id);

-- Membership is its own table: adding or removing k members costs O(k), whatever the group size.
-- member_type is 'User' or 'Group'.
CREATE TABLE group_members (
  tenant_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  member_type TEXT NOT NULL,
  display TEXT,
  PRIMARY KEY (tenant_id, group_id, member_id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES groups(tenant_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_member ON group_members(tenant_id, member_id);
