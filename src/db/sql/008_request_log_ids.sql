-- Provisioning log, rebuilt so that an id is never given twice. Without AUTOINCREMENT SQLite gives max(id) + 1,
-- so once the newest entries were deleted (their tenant deleted, or retention emptying the log) new entries took
-- ids clients had already seen, and polling with `after`, the live tail's Last-Event-ID and the console missed
-- them. Ids follow the order entries are stored, which is not quite the order of `time` (a request's start):
-- a slow request is stored after faster ones that started later. Retention by age therefore deletes by `time`.
-- Every column, index and the foreign key stay as they were (003); the rows keep their ids, and copying them
-- sets sqlite_sequence to the largest, so the next id is above every id still stored.
CREATE TABLE request_log_rebuilt (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- One statement: a million rows copy in primary-key order, and the indexes are built afterwards, by sorting.
INSERT INTO request_log_rebuilt (id, tenant_id, time, request_id, method, path, operation, resource_type, resource_id,
    resource_name, status, scim_type, detail, duration_ms, client_ip, user_agent, request_headers,
    request_body, response_body)
  SELECT id, tenant_id, time, request_id, method, path, operation, resource_type, resource_id, resource_name,
    status, scim_type, detail, duration_ms, client_ip, user_agent, request_headers, request_body,
    response_body
  FROM request_log ORDER BY id;

DROP TABLE request_log;
ALTER TABLE request_log_rebuilt RENAME TO request_log;

-- The indexes of 003, unchanged.
CREATE INDEX request_log_tenant_time ON request_log(tenant_id, time, id, status, duration_ms);
CREATE INDEX request_log_time ON request_log(time);
CREATE INDEX request_log_tenant_probe ON request_log(tenant_id, time) WHERE operation = 'test_connection';
