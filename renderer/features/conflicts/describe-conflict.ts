// Words for a recorded conflict: which rule decided it and what came of it, from the manager's
// point of view ("this Mac" vs "the server").
import type { ConflictView } from '../../../shared/ipc.js';
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

/** Every field either version has, bookkeeping columns last. */
export const fieldsOf = (conflict: ConflictView): string[] => {
  const names = new Set([...Object.keys(conflict.client_data), ...Object.keys(conflict.server_data)]);
  const bookkeeping = ['id', 'updated_at', 'deleted_at', 'server_version', 'server_updated_at', 'written_by', 'change_id'];
  const own = [...names].filter((name) => !bookkeeping.includes(name));
  return [...own, ...bookkeeping.filter((name) => names.has(name))];
};

export const showValue = (value: unknown): string => {
  if (value === undefined) return '—';
  if (value === null) return 'empty';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
};
