// Run by outbox-crash.test.ts in a child process that is killed with SIGKILL mid-loop: it writes
// forms (each with one section and two fields, in one local transaction) and edits as fast as it
// can, and reports on stdout each group it knows to be committed.
import { randomUUID } from 'node:crypto';
import { openLocalStore } from './client.js';
import { localTransaction, writeLocal } from './outbox.js';

const file = process.argv[2];
if (!file) throw new Error('usage: crash-writer.child.ts <sqlite file>');
const store = openLocalStore(file);
for (let n = 1; ; n++) {
  const at = new Date().toISOString();
  const formId = randomUUID();
  localTransaction(store, (local) => {
    local.write('forms', { id: formId, title: `Form ${n}`, updated_at: at }, 'INSERT');
    const sectionId = randomUUID();
    local.write('form_sections', { id: sectionId, form_id: formId, title: 'Checks', updated_at: at }, 'INSERT');
    for (const position of [0, 1]) {
      local.write(
        'fields',
        { id: randomUUID(), form_id: formId, section_id: sectionId, label: `Q${position}`, position, updated_at: at },
        'INSERT',
      );
    }
  });
  // A later edit of the same row: after the crash the row must equal its latest queued change.
  writeLocal(store, 'forms', { id: formId, title: `Form ${n} (edited)`, updated_at: at }, 'UPDATE');
  process.stdout.write(`${n}\n`);
}
