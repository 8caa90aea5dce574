// Child processes the e2e fixtures drive: one-shot commands (the store device CLI) awaited with
// their output captured, and long-running ones (the web host) stopped and reaped after each test.
// Entry points run on the current Node, without npm/npx in between (each `npx` costs a second of
// CPU on a shared 2-core machine): from this run's bundle when there is one (see nodeArgs), else
// the TypeScript source through tsx's loader.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const projectDir = join(import.meta.dirname, '..', '..');
/** The renderer bundle built for this e2e run (global-setup.ts), apart from dist/renderer. */
export const e2eRendererDir = join(projectDir, 'dist', 'e2e-renderer');

/** The bundles of the Node entries the fixtures start most often, built for this run (build-bin.ts). */
export const e2eBinDir = join(projectDir, 'dist', 'e2e-bin');
/** Source entry (as runTs/startTs name it) → its bundle in e2eBinDir. */
export const bundledEntries: Record<string, string> = {
  'main/cli/device.ts': 'device.mjs',
  'e2e/support/web-host-process.ts': 'web-host-process.mjs',
};

/**
 * Node's arguments to run `entry`: its bundle when global-setup.ts built one for this run (no tsx
 * loader compiling TypeScript at every start), else the source through tsx (E2E_SKIP_BUILD=1
 * before any build, or an entry without a bundle).
 */
function nodeArgs(entry: string): string[] {
  const bundle = bundledEntries[entry] && join(e2eBinDir, bundledEntries[entry]);
  return bundle && existsSync(bundle) ? [bundle] : ['--import', 'tsx', entry];
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    super(`\`${command}\` exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}

/** Runs `node <entry> ...args` (bundle or tsx, see nodeArgs) in the project folder and waits for it to exit. */
export function runTs(entry: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs(entry), ...args], {
      cwd: projectDir,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `\`${entry} ${args.join(' ')}\` did not finish in ${options.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface LongRunning {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr interleaved), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <entry> ...args` (bundle or tsx, see nodeArgs) and leaves it running until stop(). */
export function startTs(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): LongRunning {
  const child = spawn(process.execPath, [...nodeArgs(entry), ...args], {
    cwd: projectDir,
    env: { ...process.env, ...env },
    // stdin stays open as a lifeline: if the test runner dies, the pipe closes and the child
    // (web-host-process.ts) exits instead of lingering.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if it has not exited in 5 s; resolves once it is gone. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Waits until the process prints a line matching `pattern`; returns the match. Fails if it exits first. */
export function waitForOutput(running: LongRunning, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = running.output().match(pattern);
      if (match) {
        done();
        resolve(match);
      }
    };
    const exited = (code: number | null) => {
      done();
      reject(new Error(`The process exited with ${code} before printing ${pattern}:\n${running.output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`Nothing matching ${pattern} within ${timeoutMs} ms:\n${running.output()}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      running.child.stdout!.off('data', check);
      running.child.stderr!.off('data', check);
      running.child.off('exit', exited);
    };
    running.child.stdout!.on('data', check);
    running.child.stderr!.on('data', check);
    running.child.on('exit', exited);
    check();
  });
}
