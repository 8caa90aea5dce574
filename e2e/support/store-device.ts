// A store device (a phone in the shop) played by the headless device CLI (main/cli/device.ts):
// its own SQLite file in its own folder, its own enrolled id and token, the real sync engine.
import { join } from 'node:path';
import { openLocalStore, type LocalStore } from '../../main/db/client.js';
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
    return runTs('main/cli/device.ts', [
      '--data',
      dataDir,
      '--server',
      serverUrl,
      '--device',
      deviceId,
      '--token',
      token,
      ...args,
    ]);
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

  /** Fills in every field of a published form, completes the submission and pushes it (Example 2). */
  submit(
    form: string,
    options: { store?: string; by?: string; answers?: Record<string, unknown>; offline?: boolean } = {},
  ) {
    const args = ['submit', '--form', form];
    if (options.store) args.push('--store', options.store);
    if (options.by) args.push('--by', options.by);
    if (options.answers) args.push('--answers', JSON.stringify(options.answers));
    if (options.offline) args.push('--offline');
    return this.run(...args);
  }

  /** The device's live local rows of one table, as the CLI lists them (one JSON row a line). */
  async list<Row = Record<string, unknown>>(table: string, options: { withTombstones?: boolean } = {}): Promise<Row[]> {
    const stdout = await this.run('list', table, ...(options.withTombstones ? ['--all'] : []));
    return parseJsonLines<Row>(stdout);
  }

  /**
   * An edit made on the device between CLI runs, through the same repository functions the CLI
   * and the app use (each a local write plus its queued change in one transaction). For edits
   * the CLI has no command for, e.g. completing a submission started earlier.
   */
  editLocally<T>(edit: (store: LocalStore) => T): T {
    const store = openLocalStore(join(this.identity.dataDir, 'insight-device.sqlite'));
    try {
      return edit(store);
    } finally {
      store.close();
    }
  }
}

/** `list` prints one JSON object per line (its count goes to stderr). */
function parseJsonLines<Row>(stdout: string): Row[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Row);
}
