// Every column that holds secret material: sealed under SCIMD_MASTER_KEY when one is set. Rekeying and the
// start-up check walk this list, so a new kind of secret is added here once.
export const SEALED_COLUMNS = [
  { table: "signing_keys", column: "private_jwk" },
  { table: "oauth_clients", column: "secret_hash" },
] as const;

export const VAULT_CHECK_SETTING = "vault_check";
export const VAULT_CHECK_TEXT = "scimd master key check";
