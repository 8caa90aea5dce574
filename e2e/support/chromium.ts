// Debian's Chromium, as our build machines run it: Playwright cannot download its own browsers
// there. One list of flags for every launch (the Playwright projects and the web host's browser
// test): headless as root, and none of the background traffic a closed network refuses.
import { existsSync } from 'node:fs';

/** E2E_CHROMIUM names another binary; elsewhere (a Mac) undefined: Playwright's own Chromium. */
export const chromiumPath: string | undefined =
  process.env.E2E_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
