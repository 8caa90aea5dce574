// The bench of the IPC suites that need the sync server: one real test server on PostgreSQL for
// the file, and for each test a fresh main core on a real SQLite file in its own temporary folder,
// stopped and removed after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { IpcResult } from '../../../shared/ipc.js';
import { startTestServer, type TestServer } from '../../../server/testing/test-server.js';
import { createAppCore, type AppCore } from '../../app-core.js';

export interface CoreBench {
  /** Started before the file's first test, disposed after its last. */
  readonly server: TestServer;
  /** The core the last openCore() made. */
  readonly core: AppCore;
  openCore(): Promise<AppCore>;
}

/** Registers the file's hooks; folderPrefix names the temporary folders (e.g. "insight-revoke-"). */
export function coreBench(folderPrefix: string): CoreBench {
  let server: TestServer | undefined;
  let folder: string | undefined;
  let core: AppCore | undefined;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  afterEach(async () => {
    await core?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  return {
    get server() {
      if (!server) throw new Error('the test server starts in beforeAll');
      return server;
    },
    get core() {
      if (!core) throw new Error('no core yet: call openCore() first');
      return core;
    },
    async openCore() {
      folder = mkdtempSync(join(tmpdir(), folderPrefix));
      core = await createAppCore({ dataDir: folder });
      return core;
    },
  };
}

/** The IPC call was refused, and its message says every one of the phrases. */
export function expectRefused(result: IpcResult<unknown>, ...phrases: string[]) {
  expect(result.ok).toBe(false);
  if (!result.ok) for (const phrase of phrases) expect(result.error).toContain(phrase);
}
