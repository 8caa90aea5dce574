// The team: store staff and managers. Only the manager writes it; on a conflict the server's
// version wins (seed: "prevent duplicates"), which the sync engine handles, not this file.
import { newId } from '../../shared/ids.js';
import type { z } from 'zod';
import { TeamInput } from '../../shared/ipc.js';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { fromSqliteRow } from '../db/rows.js';
import { localTransaction, nowIso, writeIfChanged, writeTombstone } from '../db/outbox.js';
import { parseInput } from './errors.js';
import { requireLive } from './live-rows.js';

export type TeamMember = RowOf<'team'>;

/** Live team members by name. */
export function listTeam(store: LocalStore): TeamMember[] {
  const raws = store.sqlite
    .prepare('SELECT * FROM team WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id')
    .all() as Record<string, unknown>[];
  return raws.map((raw) => fromSqliteRow('team', raw));
}

/** Adds a team member (no id) or updates one (id); an unchanged save writes nothing. */
export function saveTeamMember(store: LocalStore, input: z.input<typeof TeamInput>): TeamMember {
  const { id, ...member } = parseInput(TeamInput, input);
  return localTransaction(store, (local) => {
    const current = id ? requireLive(store, 'team', id, 'Team member') : undefined;
    return writeIfChanged(local, 'team', current, {
      id: id ?? newId(),
      ...member,
      updated_at: nowIso(),
      deleted_at: null,
    });
  });
}

/** Removes a team member (tombstone). */
export function deleteTeamMember(store: LocalStore, id: string): void {
  localTransaction(store, (local) => {
    writeTombstone(local, 'team', requireLive(store, 'team', id, 'Team member'));
  });
}
