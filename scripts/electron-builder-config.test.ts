// electron-builder.yml is only exercised for real on a Mac (`npm run dist`), so check here what
// can be checked anywhere: electron-builder itself loads it and accepts it against its own schema
// (the same code path `electron-builder --mac` runs first), and it names what issue 5 asks for.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const projectDir = join(import.meta.dirname, '..');
// Reach electron-builder's own config loader through electron-builder's dependency tree, so the
// test uses exactly the version that packages the app (app-builder-lib is its dependency, not ours).
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, any>>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const config = await getConfig(projectDir, null, null);
const packageJson = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
};

/** The targets of mac.target as "name:arch" pairs. */
function macTargets(): string[] {
  return (config.mac.target as { target: string; arch: string[] }[]).flatMap((t) => t.arch.map((arch) => `${t.target}:${arch}`));
}

/** Every glob string in `files`, wherever electron-builder's loader put it. */
function filePatterns(): string[] {
  return (config.files as (string | { from?: string; to?: string; filter?: string[] })[]).flatMap((entry) =>
    typeof entry === 'string' ? [entry] : (entry.filter ?? []),
  );
}

describe('electron-builder.yml', () => {
  it('is accepted by electron-builder’s own schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app Insight Store Manager with a reverse-DNS app id', () => {
    expect(config.productName).toBe('Insight Store Manager');
    expect(config.appId).toBe('com.insight.storemanager');
  });

  it('builds a dmg and a zip for both Apple silicon and Intel Macs', () => {
    expect(macTargets().sort()).toEqual(['dmg:arm64', 'dmg:x64', 'zip:arm64', 'zip:x64']);
  });

  it('rebuilds better-sqlite3 for Electron from source and unpacks its native module from the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
  });

  it('signs with the hardened runtime and our entitlements, and notarizes when credentials are given', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe('build/entitlements.mac.plist');
    expect(config.mac.notarize).toBe(true);
    const entitlements = readFileSync(join(projectDir, config.mac.entitlements), 'utf8');
    const granted = [...entitlements.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    // Only V8's JIT exception: no weakened library validation, no device access.
    expect(granted).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('packs the compiled main process, the built renderer and the local database migrations', () => {
    const patterns = filePatterns();
    expect(patterns).toContain('dist-app/**/*');
    expect(patterns).toContain('dist/renderer/**/*');
    expect(packageJson.main.startsWith('dist-app/')).toBe(true);
    const migrations = (config.files as { from?: string; to?: string }[]).find((entry) => entry.from === 'main/db/migrations');
    // main/db/client.ts resolves its migrations folder next to the compiled client.js.
    expect(migrations?.to).toBe('dist-app/main/db/migrations');
  });

  it('is what `npm run dist` packages, for macOS', () => {
    expect(packageJson.scripts.dist).toMatch(/electron-builder --mac/);
  });
});
