// The Electron app's token vault: the token encrypted with safeStorage (on a Mac, a key kept in
// the user's Keychain), only the blob on disk (<store>.token.enc, mode 600). The logic lives in
// main/db/token-vault.ts, tested there with an injected cipher; this file only supplies Electron's.
import { safeStorage } from 'electron';
import { encryptedTokenVault, tokenFileFor, type TokenVault } from '../main/db/token-vault.js';

export const keychainTokenVault = (storeFile: string): TokenVault =>
  encryptedTokenVault(
    tokenFileFor(storeFile, '.token.enc'),
    {
      available: () => safeStorage.isEncryptionAvailable(),
      encrypt: (plain) => safeStorage.encryptString(plain),
      decrypt: (blob) => safeStorage.decryptString(blob),
    },
    'the macOS Keychain (Electron safeStorage)',
  );
