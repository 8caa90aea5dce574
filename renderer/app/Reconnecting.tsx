// When the web host process dies, the page would otherwise sit there with every call failing (or
// go blank on reload). The host's bridge (main/host/bridge.browser.js) announces its WebSocket
// closing and reopening with the window event `insight-connection`; while it is closed for more
// than a moment the page shows this overlay, and once it is back every query is fetched again
// (the host may be a new process). Electron's preload never closes, so it never shows there.
import { useQueryClient } from '@tanstack/react-query';
import { LoaderCircle } from 'lucide-react';
import { useEffect, useState } from 'react';

export const connectionEvent = 'insight-connection';

/** A blip shorter than this (a reconnect that succeeds at once) is not worth an overlay. */
const GRACE_MS = 400;

export const Reconnecting = () => {
  const queryClient = useQueryClient();
  const [lost, setLost] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let down = false;
    const onConnection = (event: Event) => {
      const connected = (event as CustomEvent<{ connected: boolean }>).detail?.connected === true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (connected) {
        if (down) void queryClient.invalidateQueries();
        down = false;
        setLost(false);
      } else {
        down = true;
        timer = setTimeout(() => setLost(true), GRACE_MS);
      }
    };
    window.addEventListener(connectionEvent, onConnection);
    return () => {
      window.removeEventListener(connectionEvent, onConnection);
      if (timer) clearTimeout(timer);
    };
  }, [queryClient]);
  if (!lost) return null;
  return (
    <div className="reconnecting" role="alertdialog" aria-modal="true" aria-labelledby="reconnecting-title">
      <div className="reconnecting__card">
        <LoaderCircle className="spin" size={28} aria-hidden="true" />
        <h2 id="reconnecting-title">Reconnecting to the Store Manager…</h2>
        <p className="muted">
          The web host stopped answering. Your changes are safe on this computer; this page comes back by itself when
          the host is running again.
        </p>
      </div>
    </div>
  );
};
