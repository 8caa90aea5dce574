// Where a device keeps its bearer token: never in the SQLite store, so a database copied off the
// machine (or attached to a support ticket) carries no usable token.
//   - fileTokenVault: the CLI and the web host — a file beside the store, readable and writable
//     only by the user (mode 600), like an SSH key;
//   - encryptedTokenVault: the Electron app — only a blob encrypted by the OS keystore (Electron's
//     safeStorage: a key in the macOS Keychain), in a mode-600 file beside the store. The cipher
//     is injected, so this module stays plain Node (app/token-vault.ts supplies safeStorage).
// Synchronous on purpose: the config is read synchronously wherever the engine needs it.
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

export interface TokenVault {
  /** What and where, for logs and docs (never the token). */
  readonly description: string;
  read(): string | null;
  write(token: string): void;
  clear(): void;
}

const OWNER_ONLY = 0o600;

/** `<dir>/insight.sqlite` → `<dir>/insight.token`: the vault file that belongs to a store file. */
export const tokenFileFor = (storeFile: string, suffix = '.token') => storeFile.replace(/\.sqlite$/, '') + suffix;

/** Writes via a temporary file created mode 600, so the secret is never readable by others, not even briefly. */
function writeOwnerOnly(file: string, content: string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: OWNER_ONLY });
  chmodSync(temporary, OWNER_ONLY); // the umask cannot widen it, but an existing temp file's mode would stay
  renameSync(temporary, file);
}

function readOwnerOnly(file: string): Buffer | null {
  if (!existsSync(file)) return null;
  // A copy or an editor may have widened it: put it back before using it.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, OWNER_ONLY);
  return readFileSync(file);
}

export function fileTokenVault(file: string): TokenVault {
  return {
    description: `file ${file} (mode 600)`,
    read: () => readOwnerOnly(file)?.toString('utf8').trim() || null,
    write: (token) => writeOwnerOnly(file, `${token}\n`),
    clear: () => rmSync(file, { force: true }),
  };
}

/** The OS keystore's encryption, as Electron's safeStorage offers it. */
export interface TokenCipher {
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
}

/**
 * The blob's identity on disk: a rewrite (writeOwnerOnly renames a new file in), an edit or a
 * chmod changes it. Null when there is no blob.
 */
function blobIdentity(file: string): string | null {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.mode}` : null;
}

export function encryptedTokenVault(file: string, cipher: TokenCipher, keystore = 'the OS keystore'): TokenVault {
  // The engine reads the connection, token included, for every status it reports (each page of a
  // pull): the keystore decrypts the blob once, and again only when the blob on disk changes.
  let remembered: { identity: string; token: string | null } | null = null;
  return {
    description: `file ${file}, encrypted by ${keystore} (mode 600)`,
    read() {
      const identity = blobIdentity(file);
      if (identity === null) return (remembered = null);
      if (remembered?.identity === identity) return remembered.token;
      const blob = readOwnerOnly(file);
      let token: string | null = null;
      // A blob the keystore cannot open (another Mac, a reset Keychain) is no token: set up again.
      if (blob && blob.length > 0) {
        try {
          token = cipher.decrypt(blob) || null;
        } catch {
          token = null;
        }
      }
      // Identity after readOwnerOnly, which may have narrowed the mode.
      remembered = { identity: blobIdentity(file) ?? identity, token };
      return token;
    },
    write(token) {
      // Refuse rather than fall back to plain text: the point is that the token is never stored readable.
      if (!cipher.available()) throw new Error(`Cannot keep the device token safely: ${keystore} is not available`);
      remembered = null;
      writeOwnerOnly(file, cipher.encrypt(token));
    },
    clear: () => {
      remembered = null;
      rmSync(file, { force: true });
    },
  };
}

/** For `:memory:` stores (tests): the token lives only as long as the process. */
export function memoryTokenVault(): TokenVault {
  let token: string | null = null;
  return {
    description: 'memory',
    read: () => token,
    write: (value) => void (token = value),
    clear: () => void (token = null),
  };
}
