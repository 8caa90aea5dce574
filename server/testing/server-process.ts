// A sync server in its own process (`tsx server/main.ts`) on a given database, for suites that
// need what an in-process server cannot give: several server processes on one database, and a
// server killed with SIGKILL at any instant (no shutdown hook runs, open transactions are cut)
// and started again on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  /** Fixed for the life of the fixture: a restart listens on the same port. */
  readonly port: number;
  readonly url: string;
  readonly running: boolean;
  /** The current process's id (benchmarks read its memory); null while it is not running. */
  readonly pid: number | null;
  /** SIGKILL: the process dies at once, wherever it was. */
  kill9(): Promise<void>;
  /** Starts a new process on the same port and database (after kill9 or stop). */
  restart(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export async function startServerProcess(
  databaseUrl: string,
  options: { port?: number; logLevel?: string } = {},
): Promise<ServerProcess> {
  let child: ChildProcess | null = null;
  const launch = async (port: number): Promise<number> => {
    const started = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      // info: the "listening" line is how we learn the port; the rest is discarded.
      env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, LOG_LEVEL: options.logLevel ?? 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise<number>((resolve, reject) => {
      started.once('exit', (code, signal) =>
        reject(new Error(`server exited (${code ?? signal}) before listening: ${stderr}`)),
      );
      createInterface({ input: started.stdout }).on('line', (line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'sync server listening' && entry.port) resolve(entry.port);
        } catch {
          // not a log line
        }
      });
    });
  };
  const waitExit = (signal: NodeJS.Signals) => {
    const current = child;
    child = null;
    if (!current || current.exitCode !== null || current.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.kill(signal);
    });
  };
  const port = await launch(options.port ?? 0);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get pid() {
      return child?.pid ?? null;
    },
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    kill9: () => waitExit('SIGKILL'),
    stop: () => waitExit('SIGTERM'),
    restart: async () => {
      await waitExit('SIGTERM');
      // The port was just freed; another process may grab it in between only in theory (loopback, test ports).
      for (let attempt = 0; ; attempt += 1) {
        try {
          await launch(port);
          return;
        } catch (error) {
          if (attempt >= 5 || !/EADDRINUSE/.test(String(error))) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    },
  };
}
