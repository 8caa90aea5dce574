import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findBoundaryViolations, readRepositorySources } from './boundaries.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('import boundaries', () => {
  it('hold across the whole repository', () => {
    const files = readRepositorySources(repoRoot);
    expect(files.some((file) => file.path === 'shared/ipc.ts')).toBe(true);
    expect(findBoundaryViolations(files)).toEqual([]);
  });

  it('catch shared/ reaching outside itself, into Node, electron or react', () => {
    const violations = findBoundaryViolations([
      { path: 'shared/ipc.ts', text: "import { x } from '../main/db/client.js';" },
      { path: 'shared/protocol/sync.ts', text: "import { readFileSync } from 'node:fs';\nimport os from 'os';" },
      { path: 'shared/tables.ts', text: "export { useState } from 'react';" },
      { path: 'shared/ok.ts', text: "import { z } from 'zod';\nimport { rowSchemas } from './tables.js';" },
    ]);
    expect(violations.map((v) => `${v.file} ${v.specifier}`)).toEqual([
      'shared/ipc.ts ../main/db/client.js',
      'shared/protocol/sync.ts node:fs',
      'shared/protocol/sync.ts os',
      'shared/tables.ts react',
    ]);
  });

  it('catch the renderer importing main/, server/ or app/, even through import() or require()', () => {
    const violations = findBoundaryViolations([
      {
        path: 'renderer/features/forms/list.tsx',
        text: "import { openLocalStore } from '../../../main/db/client.js';",
      },
      { path: 'renderer/api/bridge.ts', text: "const s = await import('../../server/start.js');" },
      { path: 'renderer/main.tsx', text: "const p = require('../app/preload.js');" },
      { path: 'renderer/ok.tsx', text: "import { ipcChannels } from '../shared/ipc.js';" },
    ]);
    expect(violations.map((v) => v.file)).toEqual([
      'renderer/features/forms/list.tsx',
      'renderer/api/bridge.ts',
      'renderer/main.tsx',
    ]);
  });

  it('catch electron imported anywhere but app/ (launchers may locate its binary)', () => {
    const violations = findBoundaryViolations([
      { path: 'main/app-core.ts', text: "import { app } from 'electron';" },
      { path: 'main/host/server.ts', text: "import { ipcMain } from 'electron/main';" },
      { path: 'app/main.ts', text: "import { app } from 'electron';" },
      { path: 'renderer/main.tsx', text: "const { ipcRenderer } = require('electron');" },
      {
        path: 'e2e/electron.spec.ts',
        text: "import { _electron } from '@playwright/test';\nimport 'electron-builder';",
      },
      { path: 'scripts/start.ts', text: "const binary = require('electron');" },
    ]);
    expect(violations.map((v) => `${v.file}: ${v.rule}`)).toEqual([
      'main/app-core.ts: only app/ imports electron',
      'main/host/server.ts: only app/ imports electron',
      'renderer/main.tsx: only app/ imports electron',
    ]);
  });

  it('catch main/ importing the Electron shell', () => {
    const violations = findBoundaryViolations([{ path: 'main/sync/engine.ts', text: "import '../../app/window.js';" }]);
    expect(violations).toHaveLength(1);
  });
});
