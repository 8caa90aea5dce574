// Serves the built renderer (dist/renderer) to the browser. Only files inside that folder are
// ever read: the request path is resolved and must stay below the root (no ../ escapes).
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const contentTypeOf = (path: string): string => contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';

/** The file under `root` a URL path names, or null when it escapes the root or does not exist. */
export function resolveStaticFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, '.' + normalize('/' + decoded));
  if (file !== base && !file.startsWith(base + sep)) return null;
  const candidate = file === base || decoded.endsWith('/') ? join(file, 'index.html') : file;
  try {
    return statSync(candidate).isFile() ? candidate : null;
  } catch {
    return null;
  }
}

export function sendFile(response: ServerResponse, file: string, headers: Record<string, string> = {}): void {
  const stream = createReadStream(file);
  // The file can vanish between resolveStaticFile and here (a rebuild of dist/renderer under a
  // running host): answer 404 instead of letting the stream's error take the process down.
  stream.once('error', () => {
    if (!response.headersSent) response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Not found');
  });
  stream.once('open', () => {
    response.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      // Hashed asset names change with every build; index.html must always be fresh.
      'Cache-Control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...headers,
    });
    stream.pipe(response);
  });
}

/**
 * index.html with the bridge script in front of the bundle. Module scripts run after classic
 * ones, so `window.insight` exists before the app starts. Left as is if the page already loads it.
 */
export function indexWithBridge(root: string): string | null {
  const file = join(root, 'index.html');
  if (!existsSync(file)) return null;
  const html = readFileSync(file, 'utf8');
  if (html.includes('bridge.js')) return html;
  const tag = '<script src="./bridge.js"></script>';
  return html.includes('<head>') ? html.replace('<head>', `<head>\n    ${tag}`) : `${tag}\n${html}`;
}
