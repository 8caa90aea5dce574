// The Electron build's wiring, checked without compiling (a full `npm run build:app` takes a
// minute on a busy 2-core machine): package.json's "main" is where app/tsconfig.json puts the
// compiled app/main.ts, as an ES module, and the sandboxed preload is left to the bundler.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the Electron build', () => {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, 'app', 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  )!;
  const files = parsed.fileNames.map((file) => relative(root, file));

  it('compiles app/main.ts to the file package.json names as "main"', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; type: string };
    expect(parsed.options.noEmit).toBe(false);
    const outDir = relative(root, parsed.options.outDir!);
    const rootDir = relative(root, parsed.options.rootDir!);
    expect(rootDir).toBe('');
    expect(files).toContain('app/main.ts');
    expect(join(outDir, 'app', 'main.js')).toBe(pkg.main);
    // "type": "module" + NodeNext: the compiled main is an ES module, which Electron 41 loads.
    expect(pkg.type).toBe('module');
    expect(parsed.options.module).toBe(ts.ModuleKind.NodeNext);
  });

  it('leaves the preload and the tests out of tsc (the preload is bundled as CommonJS)', () => {
    expect(files).not.toContain('app/preload.ts');
    expect(files.filter((file) => file.endsWith('.test.ts'))).toEqual([]);
    const main = readFileSync(join(root, 'app', 'main.ts'), 'utf8');
    expect(main).toContain("'preload', 'preload.cjs'");
    const build = readFileSync(join(root, 'scripts', 'build-app.ts'), 'utf8');
    expect(build).toMatch(/formats: \['cjs'\]/);
    expect(build).toContain("fileName: () => 'preload.cjs'");
  });
});
