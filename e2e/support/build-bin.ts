// The e2e run's own builds of the two Node entry points the fixtures start again and again: the
// store device CLI (main/cli/device.ts, several runs per test) and the web host process. Bundled
// once per run by global-setup.ts, each run is a plain `node dist/e2e-bin/<name>.mjs`: no tsx
// loader compiling TypeScript at every start (about 0.6 s of CPU a run on our shared machine).
// The bundles find what their sources read beside themselves (import.meta.url): the local store's
// migrations and the web host's bridge script are copied next to them.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { bundledEntries, e2eBinDir, projectDir } from './processes.js';

export async function buildE2eBin(): Promise<void> {
  const input = Object.fromEntries(
    Object.entries(bundledEntries).map(([entry, file]) => [file.replace(/\.mjs$/, ''), join(projectDir, entry)]),
  );
  await build({
    configFile: false,
    root: projectDir,
    logLevel: 'warn',
    build: {
      // ssr: Node code; packages stay in node_modules (better-sqlite3 is native).
      ssr: true,
      outDir: e2eBinDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: {
        input,
        // Shared chunks beside the entries, so every module's import.meta.url is e2eBinDir.
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
  });
  cpSync(join(projectDir, 'main', 'db', 'migrations'), join(e2eBinDir, 'migrations'), { recursive: true });
  cpSync(join(projectDir, 'main', 'host', 'bridge.browser.js'), join(e2eBinDir, 'bridge.browser.js'));
}
