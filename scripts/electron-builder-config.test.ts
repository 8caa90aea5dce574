// electron-builder.yml is only exercised for real on a Mac (`npm run dist`), so check here what
// can be checked anywhere: electron-builder itself loads it and accepts it against its own schema
// (the same code path `electron-builder --mac` runs first), and it names what issue 5 asks for.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const projectDir = join(import.meta.dirname, '..');
// Reach electron-builder's own config loader through electron-builder's dependency tree, so the
// test uses exactly the version that packages the app (app-builder-lib is its dependency, not ours).
/** The parts of electron-builder's resolved config these tests read. */
interface BuilderConfig {
  mac: {
    target: { target: string; arch: string[] }[];
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    notarize: boolean;
  };
  [key: string]: unknown;
}
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
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
  return config.mac.target.flatMap((t) => t.arch.map((arch) => `${t.target}:${arch}`));
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

  it('packs the built main process (with its migrations and preload) and the built renderer', () => {
    const patterns = filePatterns();
    expect(patterns).toContain('dist-app/**/*');
    expect(patterns).toContain('dist/renderer/**/*');
    expect(packageJson.main.startsWith('dist-app/')).toBe(true);
  });

  it('is what `npm run dist` packages, for macOS, after building the app and the renderer', () => {
    expect(packageJson.scripts.dist).toMatch(/build-app\.ts && vite build && electron-builder --mac$/);
  });
});

// ---- what the packaged app loads at run time ----

/** Package names the compiled main process imports at run time, walking relative imports from `entry`. */
function runtimePackagesFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const specifiers: string[] = [];
    const visit = (node: ts.Node) => {
      // Type-only imports are erased by tsc: they load nothing in the packaged app.
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
        specifiers.push(node.moduleSpecifier.text);
      } else if (
        ts.isExportDeclaration(node) &&
        !node.isTypeOnly &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        specifiers.push(node.moduleSpecifier.text);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        specifiers.push(node.arguments[0].text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        const base = join(dirname(file), specifier).replace(/\.js$/, '');
        const resolved = ['.ts', '.tsx', '.js'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
        if (!resolved) throw new Error(`${file} imports ${specifier}, which does not exist`);
        queue.push(resolved);
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  }
  return packages;
}

/** Whether a `!node_modules/...` exclusion in `files` drops this package. */
function excludedByFiles(name: string): boolean {
  return filePatterns()
    .filter((pattern) => pattern.startsWith('!node_modules/'))
    .some((pattern) => {
      const group = /^!node_modules\/\{([^}]+)\}/.exec(pattern)?.[1]?.split(',') ?? [
        pattern.slice('!node_modules/'.length).split('/')[0]!,
      ];
      return group.some((excluded) => name === excluded || name.startsWith(`${excluded}/`));
    });
}

describe('the packaged Store Manager', () => {
  let walked: Set<string> | null = null;
  const mainPackages = () => (walked ??= runtimePackagesFrom(join(projectDir, 'app', 'main.ts')));
  const dependencies = Object.keys(
    (JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
      .dependencies,
  );

  it('finds every package its main process imports among the production dependencies it ships', () => {
    const missing = [...mainPackages()].filter(
      (name) => name !== 'electron' && (!dependencies.includes(name) || excludedByFiles(name)),
    );
    expect(missing).toEqual([]);
  });

  it('still ships better-sqlite3, the local store', () => {
    expect(mainPackages().has('better-sqlite3')).toBe(true);
    expect(excludedByFiles('better-sqlite3')).toBe(false);
  });

  it('leaves out the renderer’s libraries (bundled by vite) and the server’s stack', () => {
    for (const name of [
      'react',
      'react-dom',
      'recharts',
      '@tanstack/react-query',
      '@electric-sql/pglite',
      'express',
      'pg',
    ]) {
      expect(excludedByFiles(name), name).toBe(true);
    }
  });
});
