// Client logging (seed: Client Logging): one JSON line per sync event, through pino, to a file in
// the app's data folder. The token never reaches a log line.
import pino, { type Logger } from 'pino';

export type SyncLogger = Logger;

export function createSyncLogger(file: string | null, bindings: Record<string, unknown> = {}): SyncLogger {
  if (!file) return pino({ level: 'silent' });
  // sync: lines are few (a handful per sync run) and must survive a crash right after them.
  return pino(
    { level: process.env.INSIGHT_SYNC_LOG_LEVEL ?? 'info', base: { ...bindings }, redact: ['token', '*.token'] },
    pino.destination({ dest: file, mkdir: true, sync: true }),
  );
}
