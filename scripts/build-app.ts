// `npm run build:app`: builds the Electron side into dist-app/ (package.json "main" points at
// dist-app/app/main.js):
//   1. app/*.ts and the main/ + shared/ code they import, compiled by tsc as ES modules;
//   2. the local store's migrations beside the compiled client (it finds them next to itself);
//   3. the preload bundled into ONE CommonJS file: a sandboxed preload cannot load ES modules or
//      anything from node_modules, only `electron` itself.
// The renderer is built separately (`npm run build:renderer`, into dist/renderer).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist-app');

export async function buildApp(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });

  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'app', 'tsconfig.json')],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) throw new Error('tsc -p app/tsconfig.json failed');

  const migrations = join('main', 'db', 'migrations');
  mkdirSync(join(outDir, migrations), { recursive: true });
  cpSync(join(root, migrations), join(outDir, migrations), { recursive: true });

  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir: join(outDir, 'preload'),
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      target: 'chrome130',
      lib: { entry: join(root, 'app', 'preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rollupOptions: { external: ['electron'] },
    },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildApp().then(
    () => console.log(`Built the Electron app into ${outDir}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
