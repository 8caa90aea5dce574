// Where the Electron binary is, if it is installed. On our build machines electron's postinstall
// download is skipped (no internet but npm and Debian), and then `require('electron')` throws
// "Electron failed to install correctly"; on a Mac with a normal `npm install` it returns the
// path of the binary. The `electron` Playwright project runs only where this finds one.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export type ElectronBinary = { path: string } | { path: null; reason: string };

export function findElectronBinary(): ElectronBinary {
  const require = createRequire(import.meta.url);
  try {
    const resolved: unknown = require('electron');
    if (typeof resolved === 'string' && existsSync(resolved)) return { path: resolved };
    return { path: null, reason: `the electron package points at ${String(resolved)}, which does not exist` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      path: null,
      reason: `the Electron binary is not installed here (${message}); install it with a plain \`npm install\` on a machine that can download it`,
    };
  }
}
