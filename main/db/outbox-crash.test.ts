// Invariant 3 under a real crash: a child process writes through the outbox in a loop and is killed
// with SIGKILL at an arbitrary instant, several times over the same file. After each crash every
// synced row has its queued change (and the latest queued change equals the row), every queued
// change has its row, each multi-row transaction is whole or absent, and nothing the child saw
// committed is lost.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tableNames } from '../../shared/tables.js';
import { openLocalStore } from './client.js';
import { fromSqliteRow } from './rows.js';
import { openTemporaryStore } from './temporary-store.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'crash-writer.child.ts');
const scratch = openTemporaryStore('insight-crash-');
const file = scratch.file;
scratch.close();
afterAll(() => scratch.remove());

/** Runs the writer until it has reported `atLeast` committed groups, then kills it with SIGKILL. */
function writeThenKill(atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const writer = spawn(process.execPath, ['--import', 'tsx', child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = 0;
    let buffered = '';
    let errors = '';
    writer.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      if (lines.length) committed = Number(lines.at(-1));
      if (committed >= atLeast && !writer.killed) writer.kill('SIGKILL');
    });
    writer.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    writer.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(committed) : reject(new Error(`writer exited with ${code}: ${errors}`)),
    );
  });
}

describe('a crash while writing locally (invariant 3)', () => {
  it('leaves every row with its queued change and every queued change with its row', async () => {
    let reported = 0;
    for (const round of [1, 2, 3]) {
      // Each round's writer starts its numbering at 1; the forms of earlier rounds stay in the file.
      reported += await writeThenKill(150 * round);
      const store = openLocalStore(file);
      try {
        expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        for (const table of tableNames) {
          const rows = store.sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
          const latest = store.sqlite
            .prepare(
              `SELECT record_id, data FROM pending_changes WHERE table_name = ? AND id IN (SELECT max(id) FROM pending_changes WHERE table_name = ? GROUP BY record_id)`,
            )
            .all(table, table) as Array<{ record_id: string; data: string }>;
          const queued = new Map(latest.map((change) => [change.record_id, JSON.parse(change.data)]));
          expect(queued.size).toBe(rows.length);
          for (const raw of rows) expect(queued.get(raw.id as string)).toEqual(fromSqliteRow(table, raw));
        }
        // Each form's group (form, section, two fields) committed whole or not at all.
        const groups = store.sqlite
          .prepare(
            `SELECT (SELECT count(*) FROM form_sections s WHERE s.form_id = f.id) AS sections,
                    (SELECT count(*) FROM fields d WHERE d.form_id = f.id) AS fields FROM forms f`,
          )
          .all() as Array<{ sections: number; fields: number }>;
        expect(groups.every((g) => g.sections === 1 && g.fields === 2)).toBe(true);
        const orphans = store.sqlite
          .prepare('SELECT count(*) AS n FROM fields WHERE form_id NOT IN (SELECT id FROM forms)')
          .get() as { n: number };
        expect(orphans.n).toBe(0);
        // Nothing the writer saw committed is lost (WAL + synchronous=NORMAL survive a process crash).
        expect(groups.length).toBeGreaterThanOrEqual(reported);
      } finally {
        store.close();
      }
    }
  });
});
