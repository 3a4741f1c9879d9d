-- Provisioning log: one row per SCIM request of an existing tenant. `time` is epoch milliseconds of the request's
-- start (cheap to bucket by hour or day). Ids follow the order entries are stored in, which is not quite the
-- order of `time`, so retention by age deletes by `time` (migration 007 rebuilt this table; see there).
CREATE TABLE request_log (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  time INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  operation TEXT NOT NULL,
  resource_type TEXT,
  resource_id TEXT,
  resource_name TEXT,
  status INTEGER NOT NULL,
  scim_type TEXT,
  detail TEXT,
  duration_ms REAL NOT NULL,
  client_ip TEXT,
  user_agent TEXT,
  request_headers TEXT,
  request_body TEXT,
  response_body TEXT
) STRICT;
-- Every index grows at its right edge (time only increases), so a batch of inserts touches a few pages.
-- An index on resource id or name would take a random page per row (measured: 4 to 6 times the cost of
-- the insert); searches by resource walk a tenant's entries newest first instead.
-- Covers newest-first pages of a tenant and the health and stats counts without touching the table.
CREATE INDEX request_log_tenant_time ON request_log(tenant_id, time, id, status, duration_ms);
-- Newest-first pages across tenants.
CREATE INDEX request_log_time ON request_log(time);
-- Entra's Test Connection probes, for the health page's "last probe" without scanning the log.
CREATE INDEX request_log_tenant_probe ON request_log(tenant_id, time) WHERE operation = 'test_connection';

-- Per-tenant log settings; request and response bodies are captured only when an admin turns it on.
CREATE TABLE log_settings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  capture_bodies INTEGER NOT NULL DEFAULT 0
) STRICT;
