-- Provisioning log: one row per SCIM request of an existing tenant. `time` is epoch milliseconds
-- (cheap to bucket by hour or day); ids grow with time, so retention deletes the lowest ids.
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
-- Covers the health, stats and time-range queries without touching the table.
CREATE INDEX request_log_tenant_time ON request_log(tenant_id, time, status, duration_ms);
CREATE INDEX request_log_tenant_resource_id ON request_log(tenant_id, resource_id);
CREATE INDEX request_log_tenant_resource_name ON request_log(tenant_id, resource_name COLLATE NOCASE);
-- Entra's Test Connection probes, for the health page's "last probe" without scanning the log.
CREATE INDEX request_log_tenant_probe ON request_log(tenant_id, time) WHERE operation = 'test_connection';

-- Per-tenant log settings; request and response bodies are captured only when an admin turns it on.
CREATE TABLE log_settings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  capture_bodies INTEGER NOT NULL DEFAULT 0
) STRICT;
