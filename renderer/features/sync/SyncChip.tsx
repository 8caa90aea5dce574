// Sync status as a chip in the toolbar (issue 11), not a column: "● Synced 2 min ago", amber
// "3 pending", red "Offline". It opens a popover with the whole sync panel: progress, the error
// and its attempt, refused changes and Sync Now. The chip's words come from chipLabel.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button, Dialog, DialogTrigger, Popover } from 'react-aria-components';
import { useInsight } from '../../api/context.js';
import { syncStatusQuery } from '../../api/queries.js';
import { chipLabel } from './describe-status.js';
import { SyncPanel } from './SyncPanel.js';

/** The current time, refreshed every 30 s so "Synced 2 min ago" keeps counting. */
const useNow = (everyMs = 30_000): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
};

/** Controlled by the layout, so the sidebar's "Needs attention" can open it too. */
interface Props {
  isOpen?: boolean;
  onOpenChange?: (open: boolean) => void;
}

export const SyncChip = ({ isOpen, onOpenChange }: Props = {}) => {
  const api = useInsight();
  const status = useQuery(syncStatusQuery(api));
  const now = useNow();
  const { tone, text } = status.data
    ? chipLabel(status.data, now)
    : {
        tone: status.isError ? ('failing' as const) : ('off' as const),
        text: status.isError ? 'Sync status unavailable' : 'Sync…',
      };
  return (
    <DialogTrigger isOpen={isOpen} onOpenChange={onOpenChange}>
      <Button className={`sync-chip sync-chip--${tone}`} aria-label={`Sync: ${text}`}>
        <span className="sync-chip__dot" aria-hidden="true" />
        <span aria-hidden="true">{text}</span>
      </Button>
      <Popover placement="bottom end" offset={6} className="popover">
        <Dialog aria-label="Sync details" className="popover__dialog">
          <SyncPanel />
        </Dialog>
      </Popover>
    </DialogTrigger>
  );
};
