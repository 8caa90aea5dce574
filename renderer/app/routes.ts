// A tiny hash router: the app is a single page loaded from app:// (Electron) or the web host, and
// a hash keeps every screen addressable (#/forms/…) without server routes on either host.
import { useEffect, useState } from 'react';

export type Route =
  | { screen: 'home' }
  | { screen: 'forms' }
  | { screen: 'form'; id: string | null }
  | { screen: 'submissions' }
  | { screen: 'submission'; id: string }
  | { screen: 'kpis' }
  | { screen: 'team' }
  | { screen: 'settings' }
  | { screen: 'conflicts' }
  | { screen: 'devices' }
  | { screen: 'stores' };

const parseRoute = (hash: string): Route => {
  const [first, second] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (first) {
    case 'forms':
      return second ? { screen: 'form', id: second === 'new' ? null : second } : { screen: 'forms' };
    case 'submissions':
      return second ? { screen: 'submission', id: second } : { screen: 'submissions' };
    case 'home':
    case 'kpis':
    case 'team':
    case 'settings':
    case 'conflicts':
    case 'devices':
    case 'stores':
      return { screen: first };
    default:
      // The app opens on Home (the dashboard).
      return { screen: 'home' };
  }
};

export const hrefFor = {
  home: '#/home',
  forms: '#/forms',
  newForm: '#/forms/new',
  form: (id: string) => `#/forms/${encodeURIComponent(id)}`,
  submissions: '#/submissions',
  submission: (id: string) => `#/submissions/${encodeURIComponent(id)}`,
  kpis: '#/kpis',
  team: '#/team',
  settings: '#/settings',
  conflicts: '#/conflicts',
  devices: '#/devices',
  stores: '#/stores',
};

export const navigate = (href: string) => {
  window.location.hash = href;
};

/**
 * The current route, and a number that changes on every navigation: screens are keyed by it, so
 * following a link always opens a fresh screen, even to the route already shown (e.g. "New form"
 * from a new form that was just saved and had its address updated in place).
 */
export const useRoute = (): { route: Route; visit: number } => {
  const [current, setCurrent] = useState(() => ({ route: parseRoute(window.location.hash), visit: 0 }));
  useEffect(() => {
    const follow = () => setCurrent((c) => ({ route: parseRoute(window.location.hash), visit: c.visit + 1 }));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return current;
};

/** Updates the address bar without a navigation (no hashchange, the screen stays as it is). */
export const replaceAddress = (href: string) => window.history.replaceState(window.history.state, '', href);
