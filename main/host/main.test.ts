// `npm run web` as a user runs it: the real CLI in a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'insight-npm-web-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function web(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main', 'host', 'main.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('npm run web', () => {
  it('refuses a bad port with the usage line', async () => {
    const run = web(['--port', 'eighty']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('--port must be a port number');
    expect(run.output()).toContain('usage: npm run web');
  });

  it('prints the address, serves the bridge, and stops cleanly on Ctrl-C', async () => {
    const run = web(['--data', dataDir, '--port', '0']);
    const url = await new Promise<string>((resolve, reject) => {
      run.child.stdout.on('data', () => {
        const found = /Open the Store Manager at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output());
        if (found) resolve(found[1]!);
      });
      void run.exited.then((code) => reject(new Error(`exited with ${code}: ${run.output()}`)));
    });
    expect(run.output()).toContain(`Store Manager data: ${dataDir}`);
    const bridge = await fetch(`${url}bridge.js`);
    expect(bridge.status).toBe(200);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });
});
