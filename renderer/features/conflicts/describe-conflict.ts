// Words for a recorded conflict: which rule decided it and what came of it, from the manager's
// point of view ("this Mac" vs "the server").
import type { ConflictView } from '../../../shared/ipc.js';
import { serverColumnNames } from '../../../shared/protocol/sync.js';
import type { ConflictRule } from '../../../shared/tables.js';

export const ruleLabel: Record<ConflictRule, string> = {
  manager_wins: 'Manager wins (forms, templates and settings follow the manager’s edit)',
  latest_wins: 'Latest edit wins (the later change time is kept)',
  server_wins: 'Server wins (the server’s version is kept)',
};

export const outcomeLabel = (conflict: ConflictView): string =>
  conflict.resolution === 'client_wins' ? 'This Mac’s version was kept' : 'The server’s version was kept';

export const statusLabel: Record<ConflictView['status'], string> = {
  open: 'Open',
  accepted: 'Accepted',
  overridden: 'Other version applied',
};

export const tableLabel = (table: string): string => {
  const words = table.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The server's own bookkeeping and the push's change id: meaningless to compare, so left out. */
const serverBookkeeping = new Set([...serverColumnNames, 'change_id']);
const rowBookkeeping = ['id', 'updated_at', 'deleted_at'];

/** Every field either version has, the record's own columns first, its id and times last. */
export const fieldsOf = (conflict: ConflictView): string[] => {
  const names = new Set([...Object.keys(conflict.client_data), ...Object.keys(conflict.server_data)]);
  const own = [...names].filter((name) => !rowBookkeeping.includes(name) && !serverBookkeeping.has(name));
  return [...own, ...rowBookkeeping.filter((name) => names.has(name))];
};

/** Which device wrote the server's version, when the server said so. */
export const serverWriter = (conflict: ConflictView): string | null =>
  typeof conflict.server_data.written_by === 'string' ? conflict.server_data.written_by : null;

export const showValue = (value: unknown): string => {
  if (value === undefined) return '—';
  if (value === null) return 'empty';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
};
