// The device token at rest: after connecting to a real server, neither the SQLite file nor its
// -wal holds the token's bytes; the CLI/web-host vault is a mode-600 file, the app's vault holds
// only a blob its keystore can open; a token an older version left in sync_metadata is moved out
// and scrubbed from the file on open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/testing/test-server.js';
import { readAppConfig, readConnection, saveConnection } from '../sync/config.js';
import { SyncEngine } from '../sync/engine.js';
import { SyncClient } from '../sync/http.js';
import { metadataKeys, writeMetadata } from '../sync/metadata.js';
import { openLocalStore } from './client.js';
import { encryptedTokenVault, tokenFileFor, type TokenCipher } from './token-vault.js';

let server: TestServer;
let folder: string;
beforeAll(async () => {
  server = await startTestServer();
  folder = mkdtempSync(join(tmpdir(), 'insight-token-'));
});
afterAll(async () => {
  await server?.dispose();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Whether the store's files on disk (main file and -wal) contain the token's bytes anywhere. */
const fileCarries = (file: string, token: string) =>
  [file, `${file}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(token)));

const pullsWith = async (token: string, deviceId: string) =>
  (await new SyncClient({ serverUrl: server.url, deviceId, token }).pull({ tables: ['forms'], limit: 1 })).success;

/** AES-GCM with a key held in memory: stands in for the Keychain key Electron's safeStorage uses. */
function testKeystore(key = randomBytes(32)): TokenCipher {
  return {
    available: () => true,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(blob) {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('the CLI and web host vault (a mode-600 file beside the store)', () => {
  it('connects through the engine, and the SQLite file and its -wal carry no trace of the token', async () => {
    const token = await server.enroll('mac-at-rest', 'manager');
    const file = join(folder, 'cli', 'insight-device.sqlite');
    const store = openLocalStore(file);
    try {
      const engine = new SyncEngine({ store, logger: pino({ level: 'silent' }) });
      expect(await engine.connect({ server_url: server.url, device_id: 'mac-at-rest', token })).toMatchObject({
        ok: true,
      });
      await engine.syncNow();
      await engine.stop();
      expect(readAppConfig(store).has_token).toBe(true);
      expect(fileCarries(file, token)).toBe(false);
      const vaultFile = join(folder, 'cli', 'insight-device.token');
      expect(statSync(vaultFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(vaultFile, 'utf8').trim()).toBe(token);
    } finally {
      store.close();
    }
    expect(fileCarries(file, token)).toBe(false);
    // Reopened, the device still knows its token and the server still takes it.
    const again = openLocalStore(file);
    try {
      expect(readConnection(again)?.token).toBe(token);
      expect(await pullsWith(token, 'mac-at-rest')).toBe(true);
    } finally {
      again.close();
    }
  });

  it('puts a widened vault file back to mode 600 when reading it', async () => {
    const file = join(folder, 'widened', 'insight.sqlite');
    const store = openLocalStore(file);
    try {
      saveConnection(store, { server_url: server.url, device_id: 'x', token: 'isk_widened', role: 'store' });
      chmodSync(tokenFileFor(file), 0o644);
      expect(readConnection(store)?.token).toBe('isk_widened');
      expect(statSync(tokenFileFor(file)).mode & 0o777).toBe(0o600);
    } finally {
      store.close();
    }
  });
});

describe('a token left in sync_metadata by an older version', () => {
  it('is moved to the vault on open and no longer in the file or its -wal', async () => {
    const token = await server.enroll('mac-legacy', 'manager');
    const file = join(folder, 'legacy', 'insight.sqlite');
    const old = openLocalStore(file);
    // What an older version wrote: the token as a plain sync_metadata value, some churn after it.
    saveConnection(old, { server_url: server.url, device_id: 'mac-legacy', token: 'isk_placeholder', role: 'manager' });
    old.tokenVault.clear();
    writeMetadata(old, metadataKeys.legacyPlainToken, token);
    for (let i = 0; i < 50; i++) writeMetadata(old, metadataKeys.lastSyncAt, new Date(i).toISOString());
    old.sqlite.close(); // no checkpoint: some pages are still only in the -wal, as after a crash
    expect(fileCarries(file, token)).toBe(true); // the test would notice a migration that does nothing

    const store = openLocalStore(file);
    try {
      expect(fileCarries(file, token)).toBe(false);
      expect(readConnection(store)).toMatchObject({ device_id: 'mac-legacy', token });
      expect(readFileSync(tokenFileFor(file), 'utf8').trim()).toBe(token);
      expect(await pullsWith(token, 'mac-legacy')).toBe(true);
    } finally {
      store.close();
    }
  });
});

describe("the app's vault (Keychain-encrypted blob)", () => {
  it('stores only a blob the keystore opens; a copy opened with another key is simply not set up', async () => {
    const token = await server.enroll('mac-keychain', 'manager');
    const file = join(folder, 'app', 'insight.sqlite');
    const keystore = testKeystore();
    const vault = (storeFile: string) => encryptedTokenVault(tokenFileFor(storeFile, '.token.enc'), keystore);
    const store = openLocalStore(file, { tokenVault: vault });
    try {
      saveConnection(store, { server_url: server.url, device_id: 'mac-keychain', token, role: 'manager' });
      expect(readConnection(store)?.token).toBe(token);
    } finally {
      store.close();
    }
    const blobFile = tokenFileFor(file, '.token.enc');
    expect(readFileSync(blobFile).includes(Buffer.from(token))).toBe(false);
    expect(statSync(blobFile).mode & 0o777).toBe(0o600);
    expect(fileCarries(file, token)).toBe(false);
    expect(existsSync(tokenFileFor(file))).toBe(false);

    // The files copied to a machine whose keystore holds another key: no usable token.
    const copy = openLocalStore(file, {
      tokenVault: (f) => encryptedTokenVault(tokenFileFor(f, '.token.enc'), testKeystore()),
    });
    try {
      expect(readConnection(copy)).toBeNull();
      expect(readAppConfig(copy).has_token).toBe(false);
    } finally {
      copy.close();
    }
  });

  it('asks the keystore once per blob: again only when the blob on disk changes, also from outside', () => {
    const keystore = testKeystore();
    let decrypts = 0;
    const counting: TokenCipher = { ...keystore, decrypt: (blob) => (decrypts++, keystore.decrypt(blob)) };
    const blobFile = join(folder, 'remembered', 'insight.token.enc');
    mkdirSync(dirname(blobFile), { recursive: true });
    const vault = encryptedTokenVault(blobFile, counting);
    expect(vault.read()).toBeNull();
    vault.write('isk_first');
    expect([vault.read(), vault.read(), vault.read()]).toEqual(['isk_first', 'isk_first', 'isk_first']);
    expect(decrypts).toBe(1);

    // Another process (another vault on the same file) saves a new token: this one reads it.
    encryptedTokenVault(blobFile, keystore).write('isk_second');
    expect(vault.read()).toBe('isk_second');
    expect(decrypts).toBe(2);
    // A blob widened by a copy is read again, and put back to owner-only.
    chmodSync(blobFile, 0o644);
    expect(vault.read()).toBe('isk_second');
    expect(statSync(blobFile).mode & 0o777).toBe(0o600);
    expect(vault.read()).toBe('isk_second');
    expect(decrypts).toBe(3);
    // Removed from outside: no token.
    rmSync(blobFile);
    expect(vault.read()).toBeNull();
  });

  it('adopts the plain token file a web-host run left, and refuses to save when the keystore is unavailable', () => {
    const file = join(folder, 'adopt', 'insight.sqlite');
    const plain = openLocalStore(file);
    saveConnection(plain, {
      server_url: server.url,
      device_id: 'mac-adopt',
      token: 'isk_from_web_host',
      role: 'manager',
    });
    plain.close();
    const keystore = testKeystore();
    const store = openLocalStore(file, {
      tokenVault: (f) => encryptedTokenVault(tokenFileFor(f, '.token.enc'), keystore),
    });
    try {
      expect(readConnection(store)?.token).toBe('isk_from_web_host');
      expect(existsSync(tokenFileFor(file))).toBe(false);
    } finally {
      store.close();
    }

    const lockedFile = join(folder, 'locked', 'insight.sqlite');
    const locked = openLocalStore(lockedFile, {
      tokenVault: (f) =>
        encryptedTokenVault(
          tokenFileFor(f, '.token.enc'),
          { ...testKeystore(), available: () => false },
          'the test keystore',
        ),
    });
    try {
      expect(() =>
        saveConnection(locked, { server_url: server.url, device_id: 'mac-locked', token: 'isk_x', role: 'manager' }),
      ).toThrow(/Cannot keep the device token safely: the test keystore is not available/);
      expect(readAppConfig(locked)).toMatchObject({ server_url: null, has_token: false });
    } finally {
      locked.close();
    }
  });
});
