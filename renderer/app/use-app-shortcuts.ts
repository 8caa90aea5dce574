// Keyboard first (issue 11), the Mac way with Cmd (Ctrl elsewhere): Cmd+1…9 open the screens in
// sidebar order (Home is Cmd+1, Devices Cmd+8, Stores Cmd+9), Cmd+, Settings, Cmd+N "new" on the screen shown
// (a new form; elsewhere the screen's own first field marked data-shortcut="new"), Cmd+F the
// screen's search or filter (data-shortcut="search"). Esc and Enter are the dialogs' own (React
// Aria). Cmd+Shift+S (sync) is use-sync-shortcut.ts.
import { useEffect } from 'react';
import { navItems } from './Sidebar.js';
import { hrefFor, navigate, type Route } from './routes.js';

const focusMarked = (name: string): boolean => {
  const target = document.querySelector<HTMLElement>(`[data-shortcut="${name}"]`);
  if (!target) return false;
  target.focus();
  return true;
};

export const useAppShortcuts = (route: Route) => {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.metaKey || event.ctrlKey) || event.altKey || event.shiftKey) return;
      const key = event.key.toLowerCase();
      const screen = /^[1-9]$/.test(key) ? navItems[Number(key) - 1] : undefined;
      if (screen) {
        event.preventDefault();
        navigate(screen.href);
      } else if (key === ',') {
        event.preventDefault();
        navigate(hrefFor.settings);
      } else if (key === 'n') {
        event.preventDefault();
        if (route.screen === 'forms' || route.screen === 'form' || !focusMarked('new')) navigate(hrefFor.newForm);
      } else if (key === 'f') {
        if (focusMarked('search')) event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [route.screen]);
};
