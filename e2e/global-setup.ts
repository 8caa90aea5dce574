// Before any spec: build what the app serves, from the current sources, so a test never drives a
// stale renderer. The Electron main process (dist-app/) and dist/renderer are only built where
// the electron project can run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary.js';
import { buildE2eBin } from './support/build-bin.js';
import { e2eRendererDir, projectDir } from './support/processes.js';

function run(what: string, command: string, args: string[]) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${what} failed (${command} ${args.join(' ')}):\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`[e2e] ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export default async function globalSetup() {
  // E2E_SKIP_BUILD=1 reuses the current builds (quick re-runs of one spec while editing tests).
  if (process.env.E2E_SKIP_BUILD === '1') return;
  const vite = join(projectDir, 'node_modules', 'vite', 'bin', 'vite.js');
  // The web host fixture serves its own copy (see support/web-host-process.ts); Electron loads
  // dist/renderer from its app folder, so that one is built only where Electron runs.
  run('built the renderer', process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', e2eRendererDir]);
  const started = Date.now();
  await buildE2eBin();
  console.log(`[e2e] bundled the device CLI and the web host in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (findElectronBinary().path !== null) {
    run('built the renderer for Electron', process.execPath, [vite, 'build', '--logLevel', 'warn']);
    const buildApp = join(projectDir, 'scripts', 'build-app.ts');
    if (existsSync(buildApp)) run('built the Electron main process', process.execPath, ['--import', 'tsx', buildApp]);
    else
      run('compiled the Electron main process', process.execPath, [
        join(projectDir, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'app/tsconfig.json',
      ]);
  }
}
