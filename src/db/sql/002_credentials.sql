-- OAuth 2.0 clients (RFC 6749 §4.4) and per-tenant settings. A client secret is never stored: only its
-- SHA-256, as JSON {"sha256": …}, sealed under SCIMD_MASTER_KEY when one is set.
CREATE TABLE oauth_clients (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  description TEXT,
  created TEXT NOT NULL,
  secret_rotated TEXT,
  last_used TEXT,
  PRIMARY KEY (tenant_id, client_id)
) STRICT;

-- rate_limit: requests per second (NULL = SCIMD_RATE_LIMIT, 0 = off); entra: JSON {tenantId, issuer, audience, jwksUri}.
CREATE TABLE tenant_settings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  rate_limit INTEGER,
  entra TEXT
) STRICT;
