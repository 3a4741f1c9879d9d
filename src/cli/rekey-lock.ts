// `scimd rekey` beside a running server would leave the server on the old key: refused (see db/serving-lock.ts).
import { lockOutServers } from "../db/serving-lock";
import { CommandError } from "./args";

/** Taken before the database's key is checked, and held until the command ends. */
export function lockForRekey(dataDir: string): { release(): void } {
  const lock = lockOutServers(dataDir);
  if (lock) return lock;
  throw new CommandError(
    `rekey: a scimd server is running on SCIMD_DATA_DIR=${dataDir} (or another rekey is); stop it, run rekey, then start it with the new key`,
  );
}
