// After a fault sequence: heal (no more faults, every process up, every device online), sync until
// quiet, then check the model. Each check returns the violations it found, in words a person can
// act on; the suite fails when any is non-empty.
import { isDeepStrictEqual } from 'node:util';
import { serverColumnNames, type AuditEntry } from '../shared/protocol/sync.js';
import { tablesReadableBy, type TableName } from '../shared/tables.js';
import { localRows } from '../main/sync/testing/devices.js';
import { type ProtocolTestClient } from '../server/testing/sync-client.js';
import type { Run } from './commands.js';
import type { WireRow } from './seed-client.js';
import { route, storeOfDevice, type FaultDevice } from './world.js';

const MAX_HEAL_ROUNDS = 10;

type Rows = Map<string, Record<string, unknown>>;

/** Removes every fault and brings everything back; then syncs every device, one after another, until a round moves nothing. */
export async function healAndSettle(run: Run): Promise<string[]> {
  for (const proxy of run.world.proxies) {
    proxy.disarm();
    proxy.setDelay(0);
  }
  for (const server of run.world.servers) if (!server.running) await server.restart();
  for (const device of run.devices) device.offline = false;
  const rounds = await syncUntilQuiet(run);
  return rounds > MAX_HEAL_ROUNDS ? [`still moving after ${MAX_HEAL_ROUNDS} rounds of syncing with no faults`] : [];
}

/** Returns the number of rounds it took (MAX_HEAL_ROUNDS + 1: it never went quiet). */
export async function syncUntilQuiet(run: Run): Promise<number> {
  for (let round = 1; round <= MAX_HEAL_ROUNDS; round += 1) {
    let moved = false;
    for (const [i, device] of run.devices.entries()) {
      route(run.world, device, i + round);
      await device.engine.syncNow('heal');
      const last = device.engine.lastRun;
      if (!last?.ok || (last.pushed?.pushed ?? 0) > 0 || (last.pulled?.received ?? 0) > 0) moved = true;
    }
    const before = JSON.stringify([...run.seed.rows].map(([t, rows]) => [t, [...rows]]));
    const { pushed, pulled } = await run.seed.sync(run.world.proxies[round % run.world.proxies.length]!.url);
    if (
      pushed !== 'nothing' ||
      pulled !== 'ok' ||
      JSON.stringify([...run.seed.rows].map(([t, rows]) => [t, [...rows]])) !== before
    )
      moved = true;
    if (!moved) return round;
  }
  return MAX_HEAL_ROUNDS + 1;
}

/**
 * The changes the server refused for good must be exactly the forbidden writes, each set aside with
 * a reason; then they are discarded (as a person would) and everyone syncs again, so the devices
 * can be compared with the server. Any other change still in a queue is stuck.
 */
export async function checkQueuesAndDiscardRefused(run: Run): Promise<string[]> {
  const problems: string[] = [];
  for (const device of run.devices) {
    const left = device.store.sqlite
      .prepare(
        'SELECT id, change_id, table_name, record_id, needs_attention, last_error FROM pending_changes ORDER BY id',
      )
      .all() as {
      id: number;
      change_id: string;
      table_name: string;
      record_id: string;
      needs_attention: number;
      last_error: string | null;
    }[];
    for (const change of left) {
      const what = `${device.id}: change ${change.change_id} (${change.table_name}/${change.record_id})`;
      if (!change.needs_attention) problems.push(`${what} is stuck in the queue after healing`);
      else if (!device.forbidden.has(change.change_id))
        problems.push(`${what} was refused although the device may write it: ${change.last_error}`);
      else if (!change.last_error?.trim()) problems.push(`${what} was refused without a reason`);
    }
    const refused = new Set(left.filter((c) => c.needs_attention).map((c) => c.change_id));
    for (const changeId of device.forbidden)
      if (!refused.has(changeId)) problems.push(`${device.id}: forbidden change ${changeId} was not refused`);
    for (const change of left.filter((c) => c.needs_attention)) device.engine.discardChange(change.id);
  }
  if (run.seed.queue.size > 0 && [...run.seed.queue.values()].some((rows) => rows.size > 0))
    problems.push('seed client: changes still queued after healing');
  for (const refusal of run.seed.refusals) problems.push(`seed client: a push was refused: ${refusal}`);
  if ((await syncUntilQuiet(run)) > MAX_HEAL_ROUNDS)
    problems.push('still moving after the refused changes were discarded');
  return problems;
}

/** The server's rows of every table, in wire shape, read with the protocol by a manager device. */
export async function serverTruth(auditor: ProtocolTestClient): Promise<Map<TableName, Rows>> {
  const { rows } = await auditor.pullAll(null, { limit: 5000 });
  const truth = new Map<TableName, Rows>();
  for (const { _table, ...row } of rows) {
    const table = _table as TableName;
    if (!truth.has(table)) truth.set(table, new Map());
    truth.get(table)!.set(row.id as string, wire(row));
  }
  return truth;
}

const wire = (row: Record<string, unknown>) => {
  const copy = { ...row };
  for (const column of [...serverColumnNames, 'change_id']) delete copy[column];
  return copy;
};

function compareRows(who: string, table: TableName, local: Rows, server: Rows, problems: string[]) {
  for (const [id, row] of server) {
    const mine = local.get(id);
    if (!mine) problems.push(`${who}: ${table}/${id} is on the server but not on the device (${JSON.stringify(row)})`);
    else if (!isDeepStrictEqual(wire(mine), row))
      problems.push(
        `${who}: ${table}/${id} differs: device ${JSON.stringify(wire(mine))} server ${JSON.stringify(row)}`,
      );
  }
  for (const id of local.keys())
    if (!server.has(id)) problems.push(`${who}: ${table}/${id} is on the device but not on the server`);
}

/** The tables scoped by store (server/sync/scope.ts), and how a row names its store. */
const storeScoped: Partial<Record<TableName, 'own' | 'submission' | 'code'>> = {
  submissions: 'own',
  kpi_data: 'own',
  team: 'own',
  submission_answers: 'submission',
  // A store record is its store's own (by its code).
  stores: 'code',
};

/** The store a row belongs to, its submission looked up in `submissions` for an answer. */
function storeOfRow(table: TableName, row: Record<string, unknown>, submissions: Rows): string | null | undefined {
  const how = storeScoped[table];
  if (how === 'own') return (row.store_id as string | null) ?? null;
  if (how === 'code') return row.code as string;
  if (how === 'submission') return submissions.get(row.submission_id as string)?.store_id as string | null | undefined;
  return undefined;
}

/** The server's rows a device should hold: a store device only its store's rows of the scoped tables. */
function truthFor(device: FaultDevice, table: TableName, truth: Map<TableName, Rows>): Rows {
  const rows = truth.get(table) ?? new Map<string, WireRow>();
  const store = storeOfDevice(device);
  if (store === null || !storeScoped[table]) return rows;
  const submissions = truth.get('submissions') ?? new Map<string, WireRow>();
  return new Map([...rows].filter(([, row]) => storeOfRow(table, row, submissions) === store));
}

/**
 * Invariant 12, checked after every step of a sequence: a store device holds no row of another
 * store at any point, faults or not (an answer counts by its submission; one whose submission the
 * device does not hold is out of place too).
 */
export function checkStoreScope(run: Run): string[] {
  const problems: string[] = [];
  for (const device of run.devices) {
    const store = storeOfDevice(device);
    if (store === null || !device.store.sqlite.open) continue;
    const submissions = localRows(device.store, 'submissions');
    // The device's own forbidden writes (a store writing team) stay on it, refused, until
    // discarded: its own edits, not rows it was sent.
    const ownRefused = device.store.sqlite.prepare(
      'SELECT 1 FROM pending_changes WHERE table_name = ? AND record_id = ? AND change_id IN (SELECT value FROM json_each(?))',
    );
    const forbidden = JSON.stringify([...device.forbidden]);
    for (const table of Object.keys(storeScoped) as TableName[]) {
      for (const [id, row] of localRows(device.store, table)) {
        if (ownRefused.get(table, id, forbidden)) continue;
        const held = storeOfRow(table, row, submissions);
        if (held !== store)
          problems.push(
            `${device.id} (store ${store}) holds ${table}/${id} of ${held === undefined ? 'no submission it holds' : `store ${held}`}`,
          );
      }
    }
  }
  return problems;
}

/** Every engine device holds exactly the server's rows it may see, content included, on every table it reads. */
export function checkDevicesEqualServer(run: Run, truth: Map<TableName, Rows>): string[] {
  const problems: string[] = [];
  for (const device of run.devices) {
    for (const table of tablesReadableBy(device.role))
      compareRows(device.id, table, localRows(device.store, table), truthFor(device, table, truth), problems);
  }
  return problems;
}

/** The seed-protocol client too: what it learnt by `last_sync_timestamp` alone equals the server. */
export function checkSeedClientEqualsServer(run: Run, truth: Map<TableName, Rows>): string[] {
  const problems: string[] = [];
  for (const table of tablesReadableBy('store')) {
    const local = (run.seed.rows.get(table) ?? new Map<string, WireRow>()) as Rows;
    compareRows(`seed client ${run.seed.id}`, table, local, truth.get(table) ?? new Map<string, WireRow>(), problems);
  }
  return problems;
}

interface AuditRow {
  id: number;
  device_id: string;
  change_id: string | null;
  table_name: TableName;
  record_id: string;
  outcome: AuditEntry['outcome'];
  rule: string | null;
  after: Record<string, unknown>;
}

/** Every accepted change is in the audit log exactly once; nothing refused and nothing unknown is. */
export async function checkAuditExactlyOnce(run: Run): Promise<string[]> {
  const problems: string[] = [];
  for (const device of run.devices) {
    const entries = await run.world.serverDb.query<{ change_id: string | null; n: number }>(
      'select change_id::text, count(*)::int as n from audit_log where device_id = $1 group by change_id',
      [device.id],
    );
    const counts = new Map(entries.map((e) => [e.change_id, e.n]));
    for (const changeId of device.queued) {
      const n = counts.get(changeId) ?? 0;
      const expected = device.forbidden.has(changeId) ? 0 : 1;
      if (n !== expected)
        problems.push(`${device.id}: change ${changeId} is in the audit log ${n} time(s), expected ${expected}`);
    }
    const known = new Set(device.queued);
    for (const { change_id } of entries)
      if (!change_id || !known.has(change_id))
        problems.push(`${device.id}: audit entry for change ${change_id} the device never made`);
  }
  return problems;
}

/**
 * Every conflict is recorded twice on the server (audit outcome + conflicts row, same resolution),
 * and a change that lost shows in the losing device's own conflicts. Resolutions follow the table
 * rules: manager wins (a manager's push wins), server wins (the pushed change loses), latest wins
 * (the later updated_at wins; checked where no clock involved was ever off, since skew correction
 * decides otherwise).
 */
export async function checkConflicts(run: Run): Promise<string[]> {
  const problems: string[] = [];
  const ids = [...run.devices.map((d) => d.id), run.seed.id];
  const audits = await run.world.serverDb.query<AuditRow>(
    'select id, device_id, change_id::text, table_name, record_id::text, outcome, rule, after from audit_log where device_id = any($1) order by id',
    [ids],
  );
  const recorded = await run.world.serverDb.query<{
    device_id: string;
    change_id: string | null;
    record_id: string;
    resolution: string;
    rule: string;
    client_data: Record<string, unknown>;
    server_data: Record<string, unknown>;
  }>(
    'select device_id, change_id::text, record_id::text, resolution, rule, client_data, server_data from conflicts where device_id = any($1) order by id',
    [ids],
  );
  const ruled = audits.filter((a) => a.rule);
  for (const entry of ruled) {
    const what = `${entry.device_id}: conflict on ${entry.table_name}/${entry.record_id} (change ${entry.change_id})`;
    const same = <T extends { device_id: string; record_id: string; change_id: string | null }>(c: T) =>
      c.device_id === entry.device_id && c.record_id === entry.record_id && c.change_id === entry.change_id;
    // Changes without a change_id (the seed client's) are told apart by order: the k-th conflict
    // audited for a record is the k-th one recorded for it.
    const match = recorded.filter(same)[ruled.filter(same).indexOf(entry)];
    if (!match) problems.push(`${what} is in the audit log but not in the conflicts table`);
    // A field-level conflict stored a merge (outcome `merged`); its fields went by the resolution.
    else if (entry.outcome !== 'merged' && match.resolution !== entry.outcome)
      problems.push(`${what}: audit says ${entry.outcome}, conflicts table says ${match.resolution}`);
    const device = run.devices.find((d) => d.id === entry.device_id);
    if (device && entry.outcome === 'server_wins' && entry.change_id) {
      const local = device.store.sqlite
        .prepare('SELECT count(*) AS n FROM conflicts WHERE change_id = ?')
        .get(entry.change_id) as { n: number };
      if (local.n === 0) problems.push(`${what} lost on the server but is not in the device's conflicts`);
    }
  }
  for (const c of recorded) {
    const what = `${c.device_id}: conflict on ${c.record_id} (${c.rule})`;
    if (
      !audits.some(
        (a) => a.device_id === c.device_id && a.record_id === c.record_id && a.change_id === c.change_id && a.rule,
      )
    ) {
      problems.push(`${what} is in the conflicts table but its audit entry is not marked as a conflict`);
    }
    if (c.rule === 'manager_wins' && c.resolution !== 'client_wins')
      problems.push(`${what}: a manager's push lost under manager_wins`);
    if (c.rule === 'server_wins' && c.resolution !== 'server_wins')
      problems.push(`${what}: the pushed change won under server_wins`);
    if (
      c.rule === 'latest_wins' &&
      !run.skewed.has(c.device_id) &&
      !run.skewed.has(c.server_data.written_by as string)
    ) {
      const clientLater =
        Date.parse(c.client_data.updated_at as string) > Date.parse(c.server_data.updated_at as string);
      const expected = clientLater ? 'client_wins' : 'server_wins';
      if (c.resolution !== expected)
        problems.push(
          `${what}: ${c.resolution}, but the ${clientLater ? 'pushed' : 'stored'} edit is the later one (no clock was off)`,
        );
    }
  }
  return problems;
}

/** Each record ends as the last change that won wrote it: nothing a loser sent leaks in, no winner is lost. */
export async function checkFinalValues(run: Run, truth: Map<TableName, Rows>): Promise<string[]> {
  const problems: string[] = [];
  const ids = [...run.devices.map((d) => d.id), run.seed.id];
  const winners = await run.world.serverDb.query<AuditRow>(
    `select distinct on (table_name, record_id) id, device_id, change_id::text, table_name, record_id::text, outcome, rule, after
       from audit_log where outcome <> 'server_wins' and record_id in (select record_id from audit_log where device_id = any($1))
       order by table_name, record_id, id desc`,
    [ids],
  );
  for (const winner of winners) {
    const row = truth.get(winner.table_name)?.get(winner.record_id);
    const sent = wire(winner.after);
    if (!row)
      problems.push(`${winner.table_name}/${winner.record_id}: accepted (audit ${winner.id}) but not on the server`);
    else if (!isDeepStrictEqual(sent, row)) {
      problems.push(
        `${winner.table_name}/${winner.record_id}: server holds ${JSON.stringify(row)}, the last winning change (${winner.device_id}, audit ${winner.id}) wrote ${JSON.stringify(sent)}`,
      );
    }
  }
  return problems;
}
