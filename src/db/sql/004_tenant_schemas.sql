-- Extension schemas an admin declares for one tenant (issue 4): they join that tenant's /Schemas,
-- /ResourceTypes, validation, filters and sorting. `definition` is the RFC 7643 §7 schema JSON.
CREATE TABLE tenant_schemas (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  urn TEXT NOT NULL,
  resource_type TEXT NOT NULL CHECK (resource_type IN ('User', 'Group')),
  required INTEGER NOT NULL DEFAULT 0,
  definition TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY (tenant_id, urn)
) STRICT;
