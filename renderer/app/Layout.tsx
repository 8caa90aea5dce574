// The desktop layout: sidebar navigation, the current screen, and the sync panel, which stays
// visible on every screen (issue 4).
import { lazy, Suspense } from 'react';
import { ConflictsScreen } from '../features/conflicts/ConflictsScreen.js';
import { FormEditorScreen } from '../features/forms/FormEditorScreen.js';
import { FormsScreen } from '../features/forms/FormsScreen.js';
import { SettingsScreen } from '../features/settings/SettingsScreen.js';
import { SubmissionDetailScreen } from '../features/submissions/SubmissionDetailScreen.js';
import { SubmissionsScreen } from '../features/submissions/SubmissionsScreen.js';
import { SyncPanel } from '../features/sync/SyncPanel.js';
import { useSyncShortcut } from '../features/sync/use-sync-shortcut.js';
import { TeamScreen } from '../features/team/TeamScreen.js';
import { hrefFor, useRoute, type Route } from './routes.js';

// Recharts is most of the bundle's weight and only the KPI screen needs it.
const KpisScreen = lazy(() => import('../features/kpis/KpisScreen.js'));

const navItems: { label: string; href: string; screens: Route['screen'][] }[] = [
  { label: 'Forms', href: hrefFor.forms, screens: ['forms', 'form'] },
  { label: 'Submissions', href: hrefFor.submissions, screens: ['submissions', 'submission'] },
  { label: 'KPIs', href: hrefFor.kpis, screens: ['kpis'] },
  { label: 'Team', href: hrefFor.team, screens: ['team'] },
  { label: 'Settings', href: hrefFor.settings, screens: ['settings'] },
  { label: 'Conflicts', href: hrefFor.conflicts, screens: ['conflicts'] },
];

const Screen = ({ route }: { route: Route }) => {
  switch (route.screen) {
    case 'forms':
      return <FormsScreen />;
    case 'form':
      return <FormEditorScreen id={route.id} />;
    case 'submissions':
      return <SubmissionsScreen />;
    case 'submission':
      return <SubmissionDetailScreen id={route.id} />;
    case 'kpis':
      return (
        <Suspense fallback={<p className="muted">Loading KPIs…</p>}>
          <KpisScreen />
        </Suspense>
      );
    case 'team':
      return <TeamScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'conflicts':
      return <ConflictsScreen />;
  }
};

export const Layout = () => {
  const { route, visit } = useRoute();
  useSyncShortcut();
  return (
    <div className="layout">
      <nav className="layout__nav" aria-label="Main">
        <p className="brand">Insight Store Manager</p>
        <ul>
          {navItems.map((item) => (
            <li key={item.href}>
              <a href={item.href} aria-current={item.screens.includes(route.screen) ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="layout__main">
        <Screen key={visit} route={route} />
      </main>
      <aside className="layout__sync">
        <SyncPanel />
      </aside>
    </div>
  );
};
