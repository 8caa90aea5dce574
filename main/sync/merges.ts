// Field-level merges the server made of this device's pushes (push answer `merged`), kept for the
// sync panel: the app has no per-record history screen, so the panel lists the most recent ones
// ("merged with another device's edit"), and merges never show up as conflicts. The server's
// audit log keeps every merge for good (GET /api/v1/audit, outcome `merged`).
import { z } from 'zod';
import { MergedChange } from '../../shared/protocol/sync.js';
import { RecentMerge } from '../../shared/ipc.js';
import type { LocalStore } from '../db/client.js';
import { metadataKeys, readMetadata, writeMetadata } from './metadata.js';

/** How many merges the panel remembers: a glance at recent activity, not a history. */
export const RECENT_MERGES = 20;

const Stored = z.array(RecentMerge);

export function listRecentMerges(store: LocalStore): RecentMerge[] {
  const raw = readMetadata(store, metadataKeys.recentMerges);
  if (raw === null) return [];
  const parsed = Stored.safeParse(JSON.parse(raw));
  // A list written by another version of the app is dropped, not a reason to fail the panel.
  return parsed.success ? parsed.data : [];
}

/** Newest first. Call inside the push answer's transaction so the list moves with the rows. */
export function recordMerges(store: LocalStore, merges: readonly MergedChange[], at: string): void {
  if (merges.length === 0) return;
  const fresh = merges.map((merge) => ({ ...MergedChange.parse(merge), merged_at: at })).reverse();
  const kept = listRecentMerges(store).filter(
    (old) => !fresh.some((m) => m.change_id !== null && m.change_id === old.change_id),
  );
  writeMetadata(store, metadataKeys.recentMerges, JSON.stringify([...fresh, ...kept].slice(0, RECENT_MERGES)));
}
