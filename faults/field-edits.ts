// The fault step for field-level merge (issue 14, invariant 13): two devices edit different
// fields of one record, then each syncs, and the server must keep both edits.
import { isDeepStrictEqual } from 'node:util';
import type fc from 'fast-check';
import type { TableName } from '../shared/tables.js';
import type { Run } from './commands.js';
import { editField, fieldValue, firstColumn, otherColumn } from './local-writes.js';
import { route, type FaultDevice } from './world.js';

/** A value as JSON carries it (a Date as its ISO text), for comparing the server's with the model's. */
const asJson = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * Two devices edit DIFFERENT fields of one record both hold, then each syncs (issue 14, field-level
 * merge). Whenever both started from the same synced copy with nothing else of the record queued,
 * were online and both syncs went through, the server must hold both edits right away: no rule
 * may drop either (the merge invariant). Throws otherwise, so fast-check shrinks to it.
 */
export class FieldEdits implements fc.AsyncCommand<Run, Run> {
  check = () => true;
  constructor(
    readonly first: number,
    readonly second: number,
    readonly table: TableName,
    readonly index: number,
    readonly n: number,
    readonly server: number,
  ) {}
  async run(_m: Run, run: Run) {
    const a = run.devices[this.first]!;
    const b = run.devices[this.second]!;
    const copy = (d: FaultDevice, id: string) =>
      d.store.sqlite
        .prepare(
          `SELECT server_version, deleted_at, (SELECT count(*) FROM pending_changes WHERE record_id = ?) AS queued FROM "${this.table}" WHERE id = ?`,
        )
        .get(id, id) as { server_version: number | null; deleted_at: string | null; queued: number } | undefined;
    const ids = (d: FaultDevice) =>
      (d.store.sqlite.prepare(`SELECT id FROM "${this.table}" ORDER BY id`).all() as { id: string }[]).map((r) => r.id);
    const inB = new Set(ids(b));
    const shared = ids(a).filter((id) => inB.has(id));
    if (shared.length === 0) return;
    const id = shared[this.index % shared.length]!;
    const [ca, cb] = [copy(a, id), copy(b, id)];
    const clean =
      !!ca &&
      !!cb &&
      ca.server_version !== null &&
      ca.server_version === cb.server_version &&
      !ca.deleted_at &&
      !cb.deleted_at &&
      ca.queued === 0 &&
      cb.queued === 0 &&
      !a.offline &&
      !b.offline;
    const columns = [firstColumn(this.table), otherColumn[this.table]!] as const;
    editField(a, this.table, id, columns[0], this.n);
    editField(b, this.table, id, columns[1], this.n + 1);
    const synced: boolean[] = [];
    for (const [i, device] of [a, b].entries()) {
      route(run.world, device, this.server + i);
      await device.engine.syncNow('fault sequence (field edits)');
      synced.push(device.engine.lastRun?.ok === true && (device.engine.lastRun.pushed?.pushed ?? 0) > 0);
    }
    if (!clean || !synced.every(Boolean)) return;
    const [row] = await run.world.serverDb.query<Record<string, unknown>>(
      `select * from "${this.table}" where id = $1`,
      [id],
    );
    const want = {
      [columns[0]]: fieldValue(a, this.table, columns[0], this.n),
      [columns[1]]: fieldValue(b, this.table, columns[1], this.n + 1),
    };
    for (const [column, value] of Object.entries(want)) {
      // As JSON values, key order aside: PostgreSQL's jsonb keeps an object's keys in its own order.
      if (!isDeepStrictEqual(asJson(row?.[column]), asJson(value)))
        throw new Error(
          `field edits on ${this.table}/${id}: the server holds ${column} = ${JSON.stringify(row?.[column])}, not ${JSON.stringify(value)} (both edits must be kept)`,
        );
    }
  }
  toString = () =>
    `fieldEdits(devices ${this.first} then ${this.second}, ${this.table} #${this.index}, n=${this.n}, via server ${this.server})`;
}
