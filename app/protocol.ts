// app://insight/ serves the built renderer (dist/renderer) to the window: a standard, secure
// origin of our own instead of file://, so the CSP's 'self' means exactly our files and nothing
// else on disk is reachable from the page.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { appCsp, appScheme, rendererFileFor } from './security-policy.js';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const path = new URL(request.url).pathname;
    // The page may ask for the web host's bridge; in Electron the preload provides window.insight.
    if (path === '/bridge.js') {
      return new Response('/* window.insight comes from the preload */\n', {
        headers: { 'Content-Type': 'text/javascript', 'Content-Security-Policy': appCsp },
      });
    }
    const file = rendererFileFor(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    if (!response.ok) return new Response('Not found', { status: 404 });
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', appCsp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: 200, headers });
  });
}
