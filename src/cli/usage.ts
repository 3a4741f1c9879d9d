export const USAGE = `scimd — a SCIM 2.0 provisioning server in one executable

Usage:
  scimd [serve]                                   start the server (default)
  scimd tenant create --name NAME                 create a tenant; prints JSON {id, name, tenantUrl, token}
  scimd tenant list                               JSON list of tenants
  scimd tenant delete TENANT_ID                   delete a tenant and all its data
  scimd token issue TENANT_ID [--expires-in S] [--description TEXT]
                                                  new Secret Token; prints JSON {jti, token, expires}
  scimd token list TENANT_ID                      token metadata (tokens themselves are never stored)
  scimd token revoke TENANT_ID JTI                revoke a token; the next request with it fails
  scimd key rotate TENANT_ID [--overlap S]        new signing key; old tokens stop after S seconds (default 0, at most 30 days)
  scimd client create TENANT_ID [--description TEXT]
                                                  new OAuth client; prints JSON {client_id, client_secret, token_endpoint}
  scimd client list TENANT_ID                     OAuth clients (secrets are never stored)
  scimd client rotate TENANT_ID CLIENT_ID         new client secret; the old one and its access tokens stop now
  scimd client delete TENANT_ID CLIENT_ID         delete a client; its access tokens stop now
  scimd tenant show TENANT_ID                     a tenant and its settings
  scimd tenant set TENANT_ID [--rate-limit N|default] [--entra-tenant DIRECTORY_ID|none]
                   [--entra-issuer URL] [--entra-audience AUD] [--entra-jwks-uri URL]
                                                  rate limit (requests/s, 0 = none) and Entra token trust
  scimd rekey [--decrypt]                         re-encrypt secrets under SCIMD_NEW_MASTER_KEY (or decrypt them);
                                                  refused while a server runs: stop it, then start it with the new key
  scimd backup FILE                               consistent online copy of the database
  scimd healthcheck                               exit 0 when the server on SCIMD_HOST:SCIMD_PORT answers /healthz within 3 s
  scimd version | --version | --help

Configuration is by environment variable (each also as NAME_FILE): SCIMD_HOST, SCIMD_PORT, SCIMD_DATA_DIR,
SCIMD_PUBLIC_URL, SCIMD_ADMIN_TOKEN, SCIMD_RATE_LIMIT, SCIMD_MASTER_KEY, SCIMD_ACCESS_TOKEN_TTL. See the README.`;
