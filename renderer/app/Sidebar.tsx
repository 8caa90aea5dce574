// The sidebar: every screen with its icon and, where something waits for the manager, a count
// (open conflicts on Conflicts; changes the server refused, which open the sync popover). Its
// order is the order of the Cmd+1…8 shortcuts (use-app-shortcuts.ts).
import { useQuery } from '@tanstack/react-query';
import {
  FileText,
  GitMerge,
  House,
  Inbox,
  Settings,
  Smartphone,
  Store,
  TrendingUp,
  TriangleAlert,
  Users,
  type LucideIcon,
} from 'lucide-react';
import { useInsight } from '../api/context.js';
import { syncStatusQuery } from '../api/queries.js';
import { hrefFor, type Route } from './routes.js';

export interface NavItem {
  label: string;
  href: string;
  screens: Route['screen'][];
  icon: LucideIcon;
}

export const navItems: readonly NavItem[] = [
  // First: the screen the app opens on (Cmd+1); the others follow in their old order, one number up.
  { label: 'Home', href: hrefFor.home, screens: ['home'], icon: House },
  { label: 'Forms', href: hrefFor.forms, screens: ['forms', 'form'], icon: FileText },
  { label: 'Submissions', href: hrefFor.submissions, screens: ['submissions', 'submission'], icon: Inbox },
  { label: 'KPIs', href: hrefFor.kpis, screens: ['kpis'], icon: TrendingUp },
  { label: 'Team', href: hrefFor.team, screens: ['team'], icon: Users },
  { label: 'Conflicts', href: hrefFor.conflicts, screens: ['conflicts'], icon: GitMerge },
  { label: 'Settings', href: hrefFor.settings, screens: ['settings'], icon: Settings },
  // Last (Cmd+8): added after the others.
  { label: 'Devices', href: hrefFor.devices, screens: ['devices'], icon: Smartphone },
  // After Devices: Cmd+9 opens it.
  { label: 'Stores', href: hrefFor.stores, screens: ['stores'], icon: Store },
];

export const Sidebar = ({ route, onShowSync }: { route: Route; onShowSync: () => void }) => {
  const api = useInsight();
  const status = useQuery(syncStatusQuery(api)).data;
  const counts: Partial<Record<string, number>> = { Conflicts: status?.open_conflicts ?? 0 };
  const needsAttention = status?.needs_attention_count ?? 0;
  return (
    <nav className="layout__nav drag-region" aria-label="Main">
      <p className="brand">Insight Store Manager</p>
      <ul>
        {navItems.map(({ label, href, screens, icon: Icon }) => {
          const count = counts[label] ?? 0;
          return (
            <li key={href}>
              <a className="nav-link" href={href} aria-current={screens.includes(route.screen) ? 'page' : undefined}>
                <Icon size={16} aria-hidden="true" />
                <span>{label}</span>
                {count > 0 && (
                  <span className="nav-link__count nav-link__count--alert" aria-label={`${count} open`}>
                    {count}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      {needsAttention > 0 && (
        <div className="layout__nav-footer">
          <button type="button" className="nav-link no-drag" onClick={onShowSync}>
            <TriangleAlert size={16} aria-hidden="true" />
            <span>Needs attention</span>
            <span className="nav-link__count nav-link__count--alert">{needsAttention}</span>
          </button>
        </div>
      )}
    </nav>
  );
};
