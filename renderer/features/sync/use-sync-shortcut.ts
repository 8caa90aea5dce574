// Cmd/Ctrl+Shift+S starts a sync, the same shortcut as the Electron app menu's "Sync Now"
// (app/menu-template.ts), so it also works in a browser on the web host. In Electron the menu
// usually takes the key first; a second trigger would only coalesce into the running sync.
import { useEffect } from 'react';
import { useSyncNow } from '../../api/mutations.js';

const isSyncShortcut = (event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'metaKey' | 'ctrlKey' | 'altKey'>) =>
  event.shiftKey && !event.altKey && (event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 's';

export const useSyncShortcut = () => {
  const { mutate } = useSyncNow();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isSyncShortcut(event)) return;
      event.preventDefault();
      mutate({});
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mutate]);
};
