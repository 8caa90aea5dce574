// The Store Manager page's Content-Security-Policy, written once for both hosts: Electron's
// app:// protocol (app/security-policy.ts) and the web host (web-host.ts). They differ only in
// where the page may connect, so a tightening made for one host cannot miss the other.
//   - nothing runs but our own bundle: no inline script, no eval, no remote code, no plugins;
//   - inline styles are allowed because charts and the virtualized lists position rows with them.
export function rendererCsp(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
