// The desktop layout: the sidebar (icons, counts), the current screen under its sticky toolbar,
// and the sync chip at the toolbar's right on every screen (issue 4: sync status always in sight;
// issue 11: as a chip that opens the whole panel, not a column).
import { lazy, Suspense, useState } from 'react';
import { ConflictsScreen } from '../features/conflicts/ConflictsScreen.js';
import { DashboardScreen } from '../features/dashboard/DashboardScreen.js';
import { FormEditorScreen } from '../features/forms/FormEditorScreen.js';
import { FormsScreen } from '../features/forms/FormsScreen.js';
import { SettingsScreen } from '../features/settings/SettingsScreen.js';
import { StoresScreen } from '../features/stores/StoresScreen.js';
import { SubmissionDetailScreen } from '../features/submissions/SubmissionDetailScreen.js';
import { SubmissionsScreen } from '../features/submissions/SubmissionsScreen.js';
import { SyncChip } from '../features/sync/SyncChip.js';
import { useSyncShortcut } from '../features/sync/use-sync-shortcut.js';
import { TeamScreen } from '../features/team/TeamScreen.js';
import { Sidebar } from './Sidebar.js';
import { useAppShortcuts } from './use-app-shortcuts.js';
import { useRoute, type Route } from './routes.js';

// Recharts is most of the bundle's weight and only the KPI screen needs it.
const KpisScreen = lazy(() => import('../features/kpis/KpisScreen.js'));
const DevicesScreen = lazy(() => import('../features/devices/DevicesScreen.js'));

const Screen = ({ route }: { route: Route }) => {
  switch (route.screen) {
    case 'home':
      return <DashboardScreen />;
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
    case 'devices':
      return (
        <Suspense fallback={<p className="muted">Loading devices…</p>}>
          <DevicesScreen />
        </Suspense>
      );
    case 'stores':
      return <StoresScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'conflicts':
      return <ConflictsScreen />;
  }
};

export const Layout = () => {
  const { route, visit } = useRoute();
  const [syncOpen, setSyncOpen] = useState(false);
  useSyncShortcut();
  useAppShortcuts(route);
  return (
    <div className="layout">
      <Sidebar route={route} onShowSync={() => setSyncOpen(true)} />
      <main className="layout__main">
        <div className="layout__chip">
          <SyncChip isOpen={syncOpen} onOpenChange={setSyncOpen} />
        </div>
        <Screen key={visit} route={route} />
      </main>
    </div>
  );
};
