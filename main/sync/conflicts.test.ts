// Seed testing list 3 (conflict resolution), for every rule: manager_wins, latest_wins both ways,
// server_wins. Each time: the server's decision is adopted, the conflict is recorded for the panel
// with both versions and the differing fields, and every device converges on the server's rows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TableName } from '../../shared/tables.js';
import {
  answerField,
  deleteSubmission,
  getSubmission,
  saveForm,
  saveTeamMember,
  startSubmission,
} from '../repos/index.js';
import { editLocalRow, minutesFromNow, useServerWithDevices, type TestDevice } from './testing/devices.js';

const world = useServerWithDevices();
const device = world.device;

const at = minutesFromNow;
const edit = editLocalRow;

/** Every device has pushed and pulled with nothing new: their rows equal the server's (invariant 6). */
async function expectConverged(table: TableName, id: string, ...all: TestDevice[]) {
  for (const d of all) await d.engine.syncNow();
  const serverRow = (await world.serverDb.rows(table)).get(id)!;
  for (const d of all) {
    const local = d.rows(table).get(id)!;
    for (const [column, value] of Object.entries(local)) {
      const expected = serverRow[column] instanceof Date ? serverRow[column].toISOString() : serverRow[column];
      expect([d.id, column, value]).toEqual([d.id, column, expected ?? null]);
    }
  }
  return serverRow;
}

const simpleForm = (title: string) => ({ form: { title, status: 'published' as const }, sections: [], fields: [] });

describe('conflict resolution', () => {
  it('manager_wins: the manager who pushes an edit of a form keeps it, and the panel shows both versions', async () => {
    const mac = await device(world.server, 'cm-mac', 'manager');
    const laptop = await device(world.server, 'cm-laptop', 'manager');
    const form = saveForm(mac.store, simpleForm('Weekly audit')).form;
    await mac.engine.syncNow();
    await laptop.engine.syncNow();

    edit(mac, 'forms', form.id, { title: 'Weekly audit (mac)' }, at(0));
    await mac.engine.syncNow();
    edit(laptop, 'forms', form.id, { title: 'Weekly audit (laptop)' }, at(-10));
    await laptop.engine.syncNow();

    const [conflict] = laptop.engine.listConflicts();
    expect(conflict).toMatchObject({
      table: 'forms',
      record_id: form.id,
      rule: 'manager_wins',
      resolution: 'client_wins',
      differing_fields: ['title'],
      status: 'open',
    });
    expect(conflict!.client_data.title).toBe('Weekly audit (laptop)');
    expect(conflict!.server_data.title).toBe('Weekly audit (mac)');
    const converged = await expectConverged('forms', form.id, mac, laptop);
    expect(converged.title).toBe('Weekly audit (laptop)');
  });

  it('latest_wins: the later submission edit wins, whichever side made it', async () => {
    const manager = await device(world.server, 'cl-manager', 'manager');
    const store = await device(world.server, 'cl-store', 'store');
    const form = saveForm(manager.store, simpleForm('Cash count')).form;
    await manager.engine.syncNow();
    await store.engine.syncNow();
    const submission = startSubmission(store.store, { form_id: form.id, store_id: 'S1' });
    await store.engine.syncNow();
    await manager.engine.syncNow();

    // The device's edit is the later one: it wins although it reaches the server second.
    edit(manager, 'submissions', submission.id, { submitted_by: 'manager' }, at(1));
    await manager.engine.syncNow();
    edit(store, 'submissions', submission.id, { submitted_by: 'store' }, at(2));
    await store.engine.syncNow();
    expect(store.engine.listConflicts()[0]).toMatchObject({
      rule: 'latest_wins',
      resolution: 'client_wins',
      differing_fields: ['submitted_by'],
    });
    expect((await expectConverged('submissions', submission.id, manager, store)).submitted_by).toBe('store');

    // The server's copy is the later one: the device's earlier edit loses and is kept in the panel.
    edit(store, 'submissions', submission.id, { submitted_by: 'store again' }, at(3));
    edit(manager, 'submissions', submission.id, { submitted_by: 'manager again' }, at(4));
    await manager.engine.syncNow();
    await store.engine.syncNow();
    const lost = store.engine.listConflicts()[0]!;
    expect(lost).toMatchObject({ rule: 'latest_wins', resolution: 'server_wins' });
    expect(lost.client_data.submitted_by).toBe('store again');
    expect(store.rows('submissions').get(submission.id)).toMatchObject({ submitted_by: 'manager again' });
    expect((await expectConverged('submissions', submission.id, manager, store)).submitted_by).toBe('manager again');

    // Applying the other version is a new edit: it is pushed, wins, and everyone converges on it.
    await store.engine.resolveConflict(lost.id, 'apply_other');
    expect(store.engine.listConflicts({ include_closed: true }).find((c) => c.id === lost.id)?.status).toBe(
      'overridden',
    );
    expect((await expectConverged('submissions', submission.id, store, manager)).submitted_by).toBe('store again');
  });

  /** A store's submission with one answer, on both devices; returns what the tests need. */
  async function submissionWithAnswer(prefix: string) {
    const manager = await device(world.server, `${prefix}-manager`, 'manager');
    const store = await device(world.server, `${prefix}-store`, 'store');
    const form = saveForm(manager.store, {
      form: { title: 'Delivery check', status: 'published' },
      sections: [],
      fields: [{ section_index: null, label: 'Boxes', type: 'number', required: false, position: 0 }],
    });
    await manager.engine.syncNow();
    await store.engine.syncNow();
    const submission = startSubmission(store.store, { form_id: form.form.id, store_id: 'S1' });
    const answer = answerField(store.store, { submission_id: submission.id, field_id: form.fields[0]!.id, value: 12 });
    await store.engine.syncNow();
    await manager.engine.syncNow();
    return { manager, store, submission, answer };
  }

  it('applying the other version of a deleted submission brings its answers back too', async () => {
    const { manager, store, submission, answer } = await submissionWithAnswer('cd');
    // The store touches the submission; the manager, not having pulled that, deletes it later.
    edit(store, 'submissions', submission.id, { submitted_by: 'ana' }, at(-1));
    await store.engine.syncNow();
    deleteSubmission(manager.store, submission.id);
    await manager.engine.syncNow();
    const won = manager.engine.listConflicts()[0]!;
    expect(won).toMatchObject({ table: 'submissions', rule: 'latest_wins', resolution: 'client_wins' });
    expect(manager.rows('submission_answers').get(answer.id)?.deleted_at).not.toBeNull();

    // The manager changes their mind: the store's version comes back, with its answer.
    await manager.engine.resolveConflict(won.id, 'apply_other');
    expect(getSubmission(manager.store, submission.id).answers.map((a) => [a.id, a.value])).toEqual([[answer.id, 12]]);
    expect((await expectConverged('submissions', submission.id, manager, store)).deleted_at).toBeNull();
    expect((await expectConverged('submission_answers', answer.id, manager, store)).deleted_at).toBeNull();
    expect(getSubmission(store.store, submission.id).submission.submitted_by).toBe('ana');
  });

  it('a delete that loses to a later edit does not leave the submission without its answers', async () => {
    const { manager, store, submission, answer } = await submissionWithAnswer('cl2');
    edit(store, 'submissions', submission.id, { submitted_by: 'ana' }, at(1));
    await store.engine.syncNow();
    deleteSubmission(manager.store, submission.id);
    await manager.engine.syncNow();
    expect(manager.engine.listConflicts()[0]).toMatchObject({ table: 'submissions', resolution: 'server_wins' });

    expect((await expectConverged('submissions', submission.id, manager, store)).deleted_at).toBeNull();
    expect((await expectConverged('submission_answers', answer.id, manager, store)).deleted_at).toBeNull();
    for (const d of [manager, store]) {
      expect(getSubmission(d.store, submission.id).answers.map((a) => [a.id, a.value])).toEqual([[answer.id, 12]]);
    }

    // The manager insists: re-applying the delete takes the answer along again, everywhere.
    await manager.engine.resolveConflict(manager.engine.listConflicts()[0]!.id, 'apply_other');
    expect((await expectConverged('submissions', submission.id, manager, store)).deleted_at).not.toBeNull();
    expect((await expectConverged('submission_answers', answer.id, manager, store)).deleted_at).not.toBeNull();
  });

  it('applying the other version ends the conflict once: a delete that lost to a store edit makes no new conflict', async () => {
    const { manager, store, submission } = await submissionWithAnswer('c1x');
    // Deleted here; the store edited the submission later and pushed first: the later edit is kept.
    deleteSubmission(manager.store, submission.id);
    edit(store, 'submissions', submission.id, { submitted_by: 'ana' }, at(0));
    await store.engine.syncNow();
    // The push that meets the store's edit is the one a local write starts: no pull follows it,
    // so the device has not pulled past the store's version when the manager answers.
    await manager.engine.syncNow('local-write', 'push');
    const [lost] = manager.engine.listConflicts();
    expect(lost).toMatchObject({ table: 'submissions', resolution: 'server_wins' });

    // One click on "Apply the other version", then the sync it starts: nothing is left open.
    await manager.engine.resolveConflict(lost!.id, 'apply_other');
    await manager.engine.syncNow();
    expect(manager.engine.listConflicts()).toEqual([]);
    expect(manager.engine.status().open_conflicts).toBe(0);
    expect((await expectConverged('submissions', submission.id, manager, store)).deleted_at).not.toBeNull();
    expect(manager.engine.listConflicts()).toEqual([]);
  });

  it('server_wins: a team edit that lost is replaced by the server row, recorded, and can be accepted', async () => {
    const mac = await device(world.server, 'cs-mac', 'manager');
    const laptop = await device(world.server, 'cs-laptop', 'manager');
    const member = saveTeamMember(mac.store, { name: 'Ana', role: 'cashier', store_id: 'S1' });
    await mac.engine.syncNow();
    await laptop.engine.syncNow();

    edit(mac, 'team', member.id, { role: 'supervisor' }, at(0));
    await mac.engine.syncNow();
    edit(laptop, 'team', member.id, { role: 'clerk', email: 'ana@example.com' }, at(5));
    await laptop.engine.syncNow();

    const [conflict] = laptop.engine.listConflicts();
    expect(conflict).toMatchObject({ rule: 'server_wins', resolution: 'server_wins' });
    // Field-level merge (the engine sends base_version): only role was changed on both sides; the
    // laptop's email, which nobody else touched, is kept, not lost with the row.
    expect(conflict!.differing_fields).toEqual(['role']);
    expect(conflict!.fields).toEqual([
      expect.objectContaining({ field: 'role', client_value: 'clerk', server_value: 'supervisor', applied: false }),
    ]);
    expect(laptop.rows('team').get(member.id)).toMatchObject({ role: 'supervisor', email: 'ana@example.com' });
    expect(laptop.engine.status().open_conflicts).toBe(1);
    // Logged (seed: Client Logging) with the rule and the outcome.
    const conflictLine = readFileSync(laptop.logFile, 'utf8')
      .split('\n')
      .find((line) => line.includes('"msg":"conflict"'));
    expect(JSON.parse(conflictLine!)).toMatchObject({
      table: 'team',
      record_id: member.id,
      rule: 'server_wins',
      resolution: 'server_wins',
    });
    await laptop.engine.resolveConflict(conflict!.id, 'accept');
    expect(laptop.engine.status().open_conflicts).toBe(0);
    expect((await expectConverged('team', member.id, mac, laptop)).role).toBe('supervisor');
    // Invariant 7: the losing version is in the server's audit log too.
    // the conflict keeps the pushed row, the audit entry the merge with the fields of each side.
    expect(conflict!.client_data.role).toBe('clerk');
    const audit = await world.serverDb.query<{ outcome: string; rule: string; merge: unknown }>(
      "select outcome, rule, merge from audit_log where record_id = $1 and device_id = 'cs-laptop'",
      [member.id],
    );
    expect(audit).toEqual([
      { outcome: 'merged', rule: 'server_wins', merge: { pushed: ['email'], kept: [], conflicted: ['role'] } },
    ]);
  });
});
