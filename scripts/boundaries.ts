// The house's import boundaries (docs/house-rules.md, "Layers and what may import what"), checked
// mechanically so a wrong import fails the test suite instead of surfacing as a crash in a
// browser or an Electron build:
//   - shared/ runs everywhere: it imports nothing of ours outside shared/, and no Node builtin,
//     no electron, no react;
//   - renderer/ runs in a sandboxed page: it never imports main/, server/ or app/ (it reaches
//     the core only through window.insight) and no Node builtin;
//   - only app/ imports electron (its binary is absent on build machines, and main/ must also
//     run in plain Node behind the web host). The launchers in e2e/ and scripts/ may ask the
//     electron package where its binary is (in plain Node, `require('electron')` is that path);
//   - main/ and server/ never import the Electron shell (app/) or the UI (renderer/).
// Imports are read with TypeScript's own pre-processor, so dynamic import() and require() count too.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, normalize, posix, relative, sep } from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface BoundaryViolation {
  file: string;
  specifier: string;
  rule: string;
}

const sourceRoots = ['app', 'main', 'renderer', 'server', 'shared', 'scripts', 'e2e', 'bench'];
const builtins = new Set(builtinModules);
/** app/ is the shell; e2e/ and scripts/ only locate the binary to launch it. */
const electronAllowed = new Set(['app', 'e2e', 'scripts']);

const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]!);
const isElectron = (specifier: string) => specifier === 'electron' || specifier.startsWith('electron/');
const isReact = (specifier: string) => /^(react|react-dom)(\/|$)/.test(specifier);
const isTest = (path: string) => /\.test\.tsx?$/.test(path);

/** The top folder of the repository a relative import lands in, or null for a package import. */
function targetRoot(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const resolved = posix.normalize(posix.join(posix.dirname(file), specifier));
  return resolved.startsWith('../') ? '..' : resolved.split('/')[0]!;
}

export function importsOf(file: SourceFile): string[] {
  return ts.preProcessFile(file.text, true, true).importedFiles.map((imported) => imported.fileName);
}

export function findBoundaryViolations(files: SourceFile[]): BoundaryViolation[] {
  const violations: BoundaryViolation[] = [];
  for (const file of files) {
    const root = file.path.split('/')[0]!;
    for (const specifier of importsOf(file)) {
      const target = targetRoot(file.path, specifier);
      const flag = (rule: string) => violations.push({ file: file.path, specifier, rule });

      if (isElectron(specifier) && !electronAllowed.has(root)) flag('only app/ imports electron');
      if (root === 'shared') {
        if (target !== null && target !== 'shared') flag('shared/ imports nothing of ours outside shared/');
        if (isElectron(specifier) || isReact(specifier)) flag('shared/ imports no electron and no react');
        if (isNodeBuiltin(specifier) && !isTest(file.path)) flag('shared/ imports no Node builtin');
      }
      if (root === 'renderer') {
        if (target === 'main' || target === 'server' || target === 'app') {
          flag('renderer/ never imports main/, server/ or app/ (it talks to window.insight)');
        }
        if (isNodeBuiltin(specifier) && !isTest(file.path)) flag('renderer/ imports no Node builtin');
      }
      if ((root === 'main' || root === 'server') && (target === 'app' || target === 'renderer')) {
        flag(`${root}/ never imports the Electron shell or the UI`);
      }
    }
  }
  return violations;
}

/** Every .ts/.tsx/.js/.mjs/.cjs source under the repository's source folders. */
export function readRepositorySources(repoRoot: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a source folder that does not exist yet
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tsx?|[cm]?js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push({
          path: normalize(relative(repoRoot, full)).split(sep).join('/'),
          text: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  for (const root of sourceRoots) walk(join(repoRoot, root));
  return files;
}
