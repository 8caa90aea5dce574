// The renderer reaches the core only through window.insight (shared/ipc.ts): it never imports
// main/, server/ or app/, nor Node or Electron. Checked here so a wrong import fails the suite.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const rendererDir = import.meta.dirname;
const sharedDir = resolve(rendererDir, '../shared');
const inside = (dir: string, path: string) => !relative(dir, path).startsWith('..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });

const importsOf = (source: string) =>
  [...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  );

describe('renderer boundaries', () => {
  const files = sourceFiles(rendererDir).filter((file) => !file.includes('/testing/'));

  it('finds the renderer sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('imports only shared/, its own files and browser packages', () => {
    const offences: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const forbidden = specifier.startsWith('.')
          ? !inside(rendererDir, resolve(dirname(file), specifier)) &&
            !inside(sharedDir, resolve(dirname(file), specifier))
          : specifier === 'electron' ||
            specifier.startsWith('node:') ||
            ['fs', 'path', 'better-sqlite3', 'pg'].includes(specifier);
        if (forbidden) offences.push(`${relative(rendererDir, file)} imports ${specifier}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
