// A tiny hash router: the app is a single page loaded from app:// (Electron) or the web host, and
// a hash keeps every screen addressable (#/forms/…) without server routes on either host.
import { useEffect, useState } from 'react';

export type Route =
  | { screen: 'forms' }
  | { screen: 'form'; id: string | null }
  | { screen: 'submissions' }
  | { screen: 'submission'; id: string }
  | { screen: 'kpis' }
  | { screen: 'team' }
  | { screen: 'settings' }
  | { screen: 'conflicts' };

export const parseRoute = (hash: string): Route => {
  const [first, second] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (first) {
    case 'forms':
      return second ? { screen: 'form', id: second === 'new' ? null : second } : { screen: 'forms' };
    case 'submissions':
      return second ? { screen: 'submission', id: second } : { screen: 'submissions' };
    case 'kpis':
    case 'team':
    case 'settings':
    case 'conflicts':
      return { screen: first };
    default:
      return { screen: 'forms' };
  }
};

export const hrefFor = {
  forms: '#/forms',
  newForm: '#/forms/new',
  form: (id: string) => `#/forms/${encodeURIComponent(id)}`,
  submissions: '#/submissions',
  submission: (id: string) => `#/submissions/${encodeURIComponent(id)}`,
  kpis: '#/kpis',
  team: '#/team',
  settings: '#/settings',
  conflicts: '#/conflicts',
};

export const navigate = (href: string) => {
  window.location.hash = href;
};

export const useRoute = (): Route => {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
};
