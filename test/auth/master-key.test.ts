// Issue 6 §4: key material at rest under SCIMD_MASTER_KEY, the start-up check and `scimd rekey`.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createKeyVault, MasterKeyError } from "../../src/auth/key-vault";
import { execute } from "../../src/cli/commands";
import { accessToken, basic, createFileStack, type FileStack, newClient, probe, tokenRequest } from "./support";

const KEY_A = "master-key-A-0123456789abcdef0123456789";
const KEY_B = "master-key-B-0123456789abcdef0123456789";

const column = (s: FileStack, sql: string) => (s.services.db.query(sql).all() as { v: string }[]).map((r) => r.v);
const privateKeys = (s: FileStack) => column(s, "SELECT private_jwk AS v FROM signing_keys");
const secretHashes = (s: FileStack) => column(s, "SELECT secret_hash AS v FROM oauth_clients");
const sealed = (v: string) => /^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/.test(v);

async function populated(env: Record<string, string>) {
  const s = await createFileStack(env);
  const t = await s.newTenant();
  const client = await newClient(s, t.id);
  return { s, t, client };
}

/** A fresh server process's view: a new Services on the file, checked at start. */
async function restart(s: FileStack, masterKey: string) {
  const other = await s.second({ SCIMD_MASTER_KEY: masterKey });
  other.db.close();
}

/** A fresh server stack on the same data directory, started with `masterKey`. */
const createFileStackOn = (s: FileStack, masterKey: string) => createFileStack({ ...s.env, SCIMD_MASTER_KEY: masterKey });

function serve(s: FileStack, masterKey: string) {
  return Bun.spawn([process.execPath, join(import.meta.dir, "../../src/index.ts"), "serve"], {
    env: { ...process.env, ...s.env, SCIMD_MASTER_KEY: masterKey, SCIMD_PORT: "0" },
    stdout: "pipe",
    stderr: "pipe",
  });
}

describe("secrets at rest with SCIMD_MASTER_KEY", () => {
  test("signing keys and client secret hashes are stored as JWE (dir, A256GCM), never plain", async () => {
    const { s, client } = await populated({ SCIMD_MASTER_KEY: KEY_A });
    expect(privateKeys(s).every(sealed)).toBe(true);
    expect(secretHashes(s).every(sealed)).toBe(true);
    const dump = JSON.stringify(s.services.db.query("SELECT * FROM signing_keys").all()) + JSON.stringify(s.services.db.query("SELECT * FROM oauth_clients").all());
    expect(dump).not.toContain('"d"');
    expect(dump).not.toContain("sha256");
    expect(dump).not.toContain(client.client_secret);
  });

  test("without a master key they are plain (JSON), and the client secret itself is still not stored", async () => {
    const { s, client } = await populated({});
    expect(privateKeys(s).every((v) => v.startsWith("{"))).toBe(true);
    expect(secretHashes(s).every((v) => v.startsWith('{"sha256":'))).toBe(true);
    expect(secretHashes(s).join()).not.toContain(client.client_secret);
  });

  test("an encrypted database, started without a master key → MasterKeyError at start, naming SCIMD_MASTER_KEY", async () => {
    const { s } = await populated({ SCIMD_MASTER_KEY: KEY_A });
    await expect(restart(s, "")).rejects.toThrow(MasterKeyError);
    await expect(restart(s, "")).rejects.toThrow(/set SCIMD_MASTER_KEY/);
  });

  test("an encrypted database, started with the wrong key → MasterKeyError at start", async () => {
    const { s } = await populated({ SCIMD_MASTER_KEY: KEY_A });
    await expect(restart(s, KEY_B)).rejects.toThrow(/SCIMD_MASTER_KEY does not decrypt/);
  });

  test("an encrypted database with no tenants left still refuses the wrong key (the check value)", async () => {
    const s = await createFileStack({ SCIMD_MASTER_KEY: KEY_A });
    await expect(restart(s, KEY_B)).rejects.toThrow(MasterKeyError);
  });

  test("the real binary entry: wrong key → exit 2 and one line on stderr, before listening", async () => {
    const { s } = await populated({ SCIMD_MASTER_KEY: KEY_A });
    for (const key of [KEY_B, ""]) {
      const proc = serve(s, key);
      expect(await proc.exited).toBe(2);
      const stderr = (await new Response(proc.stderr).text()).trim();
      expect(stderr.split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^scimd: .*SCIMD_MASTER_KEY/);
      expect(await new Response(proc.stdout).text()).not.toContain("listening");
    }
  });

  test("setting a master key on a plain database seals everything at the next server start; tokens and secrets keep working", async () => {
    const { s, t, client } = await populated({});
    const encrypted = await createFileStackOn(s, KEY_A);
    expect(privateKeys(s).every(sealed)).toBe(true);
    expect(secretHashes(s).every(sealed)).toBe(true);
    expect((await probe(encrypted, t.id, t.token)).status).toBe(200);
    expect((await probe(encrypted, t.id, await accessToken(encrypted, t.id, client))).status).toBe(200);
  });
});

describe("a master key given to a command, not to the server", () => {
  const cliProcess = (s: FileStack, env: Record<string, string>, ...argv: string[]) =>
    Bun.spawn([process.execPath, join(import.meta.dir, "../../src/index.ts"), ...argv], {
      env: { ...process.env, ...s.env, ...env },
      stdout: "pipe",
      stderr: "pipe",
    });

  test("a command on a plain database refuses, naming `scimd rekey`, and changes nothing", async () => {
    const { s } = await populated({});
    const before = [...privateKeys(s), ...secretHashes(s)];
    await expect(s.second({ SCIMD_MASTER_KEY: KEY_A })).rejects.toThrow(MasterKeyError);
    await expect(s.second({ SCIMD_MASTER_KEY: KEY_A })).rejects.toThrow(/stop the server and run `scimd rekey`/);
    expect([...privateKeys(s), ...secretHashes(s)]).toEqual(before);
  });

  test("a real `scimd tenant list` process beside a server without a key: exit 2, one line, and the server keeps working", async () => {
    const { s, t, client } = await populated({});
    const proc = cliProcess(s, { SCIMD_MASTER_KEY: KEY_A }, "tenant", "list");
    expect(await proc.exited).toBe(2);
    const stderr = (await new Response(proc.stderr).text()).trim();
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^scimd: the database is not encrypted .*`scimd rekey`/);
    expect(secretHashes(s).every((v) => v.startsWith('{"sha256":'))).toBe(true);
    expect((await probe(s, t.id, await accessToken(s, t.id, client))).status).toBe(200);
    expect((await s.admin("POST", `/tenants/${t.id}/tokens`, {})).status).toBe(201);
  });

  test("`scimd rekey` itself encrypts a plain database, also with SCIMD_MASTER_KEY set to the same key", async () => {
    const { s, t } = await populated({});
    const proc = cliProcess(s, { SCIMD_MASTER_KEY: KEY_A, SCIMD_NEW_MASTER_KEY: KEY_A }, "rekey");
    expect(await proc.exited).toBe(0);
    expect([...privateKeys(s), ...secretHashes(s)].every(sealed)).toBe(true);
    expect((await probe(await createFileStackOn(s, KEY_A), t.id, t.token)).status).toBe(200);
  });

  test("a server whose database was sealed under a key it lacks answers 503 with a clear detail, not a 500", async () => {
    const { s, t, client } = await populated({});
    await createFileStackOn(s, KEY_A); // another server start, with a key, seals the database under this one
    const res = await tokenRequest(s, t.id, { grant_type: "client_credentials" }, { authorization: basic(client.client_id, client.client_secret) });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 503, error: expect.stringMatching(/master key .*does not match/) });
  });
});

describe("scimd rekey", () => {
  test("SCIMD_NEW_MASTER_KEY: re-encrypts every secret; the old key stops working, the new one works", async () => {
    const { s, t, client } = await populated({ SCIMD_MASTER_KEY: KEY_A });
    const before = [...privateKeys(s), ...secretHashes(s)];
    const cli = await s.second({ SCIMD_MASTER_KEY: KEY_A, SCIMD_NEW_MASTER_KEY: KEY_B });
    expect(await execute(cli, ["rekey"])).toMatchObject({ resealed: 2, encrypted: true });
    cli.db.close();
    const after = [...privateKeys(s), ...secretHashes(s)];
    expect(after.every(sealed)).toBe(true);
    expect(after.some((v) => before.includes(v))).toBe(false);
    await expect(restart(s, KEY_A)).rejects.toThrow(MasterKeyError);
    const next = await createFileStackOn(s, KEY_B);
    expect((await probe(next, t.id, t.token)).status).toBe(200);
    expect((await probe(next, t.id, await accessToken(next, t.id, client))).status).toBe(200);
  });

  test("--decrypt: stores secrets unencrypted; the database then starts without a key", async () => {
    const { s, t } = await populated({ SCIMD_MASTER_KEY: KEY_A });
    const cli = await s.second({ SCIMD_MASTER_KEY: KEY_A });
    expect(await execute(cli, ["rekey", "--decrypt"])).toMatchObject({ encrypted: false });
    cli.db.close();
    expect(privateKeys(s).every((v) => v.startsWith("{"))).toBe(true);
    const plain = await createFileStackOn(s, "");
    expect((await probe(plain, t.id, t.token)).status).toBe(200);
  });

  test("neither SCIMD_NEW_MASTER_KEY nor --decrypt, or both → usage error, nothing changes", async () => {
    const { s } = await populated({ SCIMD_MASTER_KEY: KEY_A });
    const before = privateKeys(s);
    const neither = await s.second({ SCIMD_MASTER_KEY: KEY_A });
    await expect(execute(neither, ["rekey"])).rejects.toThrow(/SCIMD_NEW_MASTER_KEY.*--decrypt/);
    neither.db.close();
    const both = await s.second({ SCIMD_MASTER_KEY: KEY_A, SCIMD_NEW_MASTER_KEY: KEY_B });
    await expect(execute(both, ["rekey", "--decrypt"])).rejects.toThrow(/not both/);
    both.db.close();
    expect(privateKeys(s)).toEqual(before);
  });

  test("one transaction: a secret that cannot be opened rolls every change back", async () => {
    const { s } = await populated({ SCIMD_MASTER_KEY: KEY_A });
    await newClient(s, s.services.tenants.list()[0].id);
    // The last row is sealed under a key nobody has: the rekey fails after resealing the others.
    const foreign = await (await createKeyVault(KEY_B)).seal('{"sha256":"00"}');
    s.services.db.query("UPDATE oauth_clients SET secret_hash = $v WHERE rowid = (SELECT max(rowid) FROM oauth_clients)").run({ v: foreign });
    const before = [...privateKeys(s), ...secretHashes(s)];
    const cli = await s.second({ SCIMD_MASTER_KEY: KEY_A, SCIMD_NEW_MASTER_KEY: KEY_B });
    await expect(execute(cli, ["rekey"])).rejects.toThrow(MasterKeyError);
    cli.db.close();
    expect([...privateKeys(s), ...secretHashes(s)]).toEqual(before);
    await restart(s, KEY_A);
  });
});
