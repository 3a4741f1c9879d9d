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
  scimd key rotate TENANT_ID [--overlap S]        new signing key; old tokens stop after S seconds (default 0)
  scimd backup FILE                               consistent online copy of the database
  scimd healthcheck                               exit 0 when the server on SCIMD_HOST:SCIMD_PORT answers /healthz
  scimd version | --version | --help

Configuration is by environment variable (each also as NAME_FILE): SCIMD_HOST, SCIMD_PORT, SCIMD_DATA_DIR,
SCIMD_PUBLIC_URL, SCIMD_ADMIN_TOKEN, SCIMD_RATE_LIMIT, SCIMD_MASTER_KEY. See the README.`;
