// Private key material at rest: plain JSON, or JWE (dir + A256GCM) under SCIMD_MASTER_KEY.
import { CompactEncrypt, compactDecrypt } from "jose";

export class MasterKeyError extends Error {}

export interface KeyVault {
  seal(plain: string): Promise<string>;
  open(stored: string): Promise<string>;
  readonly encrypted: boolean;
}

async function deriveKey(masterKey: string): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`scimd-master-key\0${masterKey}`));
  return new Uint8Array(digest);
}

export const isSealed = (stored: string) => !stored.startsWith("{");

export async function createKeyVault(masterKey: string | undefined): Promise<KeyVault> {
  const key = masterKey ? await deriveKey(masterKey) : undefined;
  return {
    encrypted: key !== undefined,
    async seal(plain) {
      if (!key) return plain;
      return new CompactEncrypt(new TextEncoder().encode(plain))
        .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
        .encrypt(key);
    },
    async open(stored) {
      if (!isSealed(stored)) return stored;
      if (!key) throw new MasterKeyError("the database holds encrypted keys: set SCIMD_MASTER_KEY to the master key it was encrypted with");
      try {
        const { plaintext } = await compactDecrypt(stored, key);
        return new TextDecoder().decode(plaintext);
      } catch {
        throw new MasterKeyError("SCIMD_MASTER_KEY does not decrypt the stored keys: it is not the key this database was encrypted with");
      }
    },
  };
}
