// A store device (a phone in the shop) played by the headless device CLI (main/cli/device.ts):
// its own SQLite file in its own folder, its own enrolled id and token, the real sync engine.
import { CommandFailed, runTs, type CommandResult } from './processes.js';

export interface StoreDeviceIdentity {
  deviceId: string;
  token: string;
  dataDir: string;
  serverUrl: string;
}

export class StoreDevice {
  constructor(readonly identity: StoreDeviceIdentity) {}

  get deviceId() {
    return this.identity.deviceId;
  }

  /** Runs one CLI command as this device; fails the test with the CLI's output if it fails. */
  async run(...args: string[]): Promise<string> {
    const result = await this.tryRun(...args);
    if (result.code !== 0) throw new CommandFailed(`device ${args.join(' ')}`, result);
    return result.stdout;
  }

  /** Runs one CLI command and returns its exit code and output, success or not. */
  tryRun(...args: string[]): Promise<CommandResult> {
    const { dataDir, serverUrl, deviceId, token } = this.identity;
    return runTs('main/cli/device.ts', ['--data', dataDir, '--server', serverUrl, '--device', deviceId, '--token', token, ...args]);
  }

  pull() {
    return this.run('pull');
  }

  push() {
    return this.run('push');
  }

  sync() {
    return this.run('sync');
  }

  /** The device's local rows of one table, as the CLI lists them (JSON). */
  async list<Row = Record<string, unknown>>(table: string): Promise<Row[]> {
    return parseJsonOutput<Row[]>(await this.run('list', table, '--json'));
  }
}

/** The CLI may log lines before its JSON; the JSON document is the last thing it prints. */
export function parseJsonOutput<T>(stdout: string): T {
  const start = stdout.search(/^[[{]/m);
  if (start < 0) throw new Error(`Expected JSON from the device CLI, got:\n${stdout}`);
  return JSON.parse(stdout.slice(start)) as T;
}
