// A sync server in its own OS process (test-server-cli.ts) on a given database: for tests and
// benchmarks where two server processes share one PostgreSQL (live sync's cross-process pokes).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  url: string;
  port: number;
  tokens: Record<string, string>;
  /** The process id (benchmarks read its memory). */
  pid: number;
  /** SIGTERM, and waits for the process to end. */
  stop(): Promise<void>;
}

const cli = fileURLToPath(new URL('./test-server-cli.ts', import.meta.url));

export async function startServerProcess(databaseUrl: string, devices: Array<{ id: string; role: string }> = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...devices.flatMap((d) => ['--device', `${d.id}:${d.role}`])], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.SERVER_LOG ?? 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server process exited with code ${code} before it listened`)));
  });
  const started = JSON.parse(line) as { url: string; port: number; tokens: Record<string, string> };
  return {
    ...started,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
