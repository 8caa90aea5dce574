// The steps of a fault sequence, as fast-check commands: writes on every table a role may write,
// syncs (one device, or all at once), going offline, proxy faults, SIGKILL of a device process or
// of a server process, clock offsets, and the seed-protocol client's own writes and syncs. Each
// prints itself, so a failing (shrunk) sequence reads as a script that replays it.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { tableRegistry, tableNames, type Role, type TableName } from '../shared/tables.js';
import { FieldEdits } from './field-edits.js';
import { editRecord, localWrite, otherColumn, type WriteKind } from './local-writes.js';
import type { SeedClient } from './seed-client.js';
import { route, syncInProcessKilledAfter, type FaultDevice, type FaultWorld } from './world.js';

/** Device i of every run has this role (the seed-protocol client comes on top, as a store). */
export const deviceRoles: readonly Role[] = ['manager', 'manager', 'store', 'store'];

export interface Run {
  world: FaultWorld;
  devices: FaultDevice[];
  seed: SeedClient;
  /** Devices (and 'seed') whose clock was ever off during the run: their latest-wins outcomes depend on skew correction. */
  skewed: Set<string>;
  /** What happened, for the failure report (e.g. a kill that came after the process had already exited). */
  notes: string[];
}

type FaultCommand = fc.AsyncCommand<Run, Run>;

const writableBy = (role: Role) =>
  tableNames.filter((t) => (tableRegistry[t].writers as readonly Role[]).includes(role));
const managerOnlyTables = tableNames.filter((t) => !(tableRegistry[t].writers as readonly Role[]).includes('store'));

abstract class Step implements FaultCommand {
  check = () => true;
  abstract run(_model: Run, run: Run): Promise<void>;
  abstract toString(): string;
}

/** `count` writes of one kind on one table (a person filling a form writes several rows in a row). */
class Write extends Step {
  constructor(
    readonly device: number,
    readonly table: TableName,
    readonly kind: WriteKind,
    readonly index: number,
    readonly n: number,
    readonly count: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    for (let k = 0; k < this.count; k += 1)
      localWrite(run.devices[this.device]!, this.table, this.kind, this.index + k, this.n + k);
  }
  toString = () =>
    `write(device ${this.device}, ${this.count}× ${this.kind} ${this.table} #${this.index}, n=${this.n})`;
}

/**
 * Two devices edit the same record (one both hold, on a table both may write), then each syncs:
 * the second push meets the first as a conflict, decided by the table's rule.
 */
class ContestedEdit extends Step {
  constructor(
    readonly first: number,
    readonly second: number,
    readonly table: TableName,
    readonly index: number,
    readonly n: number,
    readonly server: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    const a = run.devices[this.first]!;
    const b = run.devices[this.second]!;
    const held = (d: FaultDevice) =>
      new Set(
        d.store.sqlite
          .prepare(`SELECT id FROM "${this.table}" ORDER BY id`)
          .all()
          .map((r) => (r as { id: string }).id),
      );
    const inB = held(b);
    const shared = [...held(a)].filter((id) => inB.has(id));
    if (shared.length === 0) return;
    const id = shared[this.index % shared.length]!;
    editRecord(a, this.table, id, this.n);
    editRecord(b, this.table, id, this.n + 1);
    for (const [i, device] of [a, b].entries()) {
      route(run.world, device, this.server + i);
      await device.engine.syncNow('fault sequence (contested edit)');
    }
  }
  toString = () =>
    `contestedEdit(devices ${this.first} then ${this.second}, ${this.table} #${this.index}, n=${this.n}, via server ${this.server})`;
}

/** A store edits a row of a table only managers may write: the server must refuse it for good. */
class ForbiddenWrite extends Step {
  constructor(
    readonly device: number,
    readonly table: TableName,
    readonly index: number,
    readonly n: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    const device = run.devices[this.device]!;
    const changeId = localWrite(device, this.table, 'edit', this.index, this.n);
    if (changeId) device.forbidden.add(changeId);
  }
  toString = () => `forbiddenWrite(store device ${this.device}, edit ${this.table} #${this.index}, n=${this.n})`;
}

class Sync extends Step {
  constructor(
    readonly device: number,
    readonly server: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    const device = run.devices[this.device]!;
    route(run.world, device, this.server);
    await device.engine.syncNow('fault sequence');
  }
  toString = () => `sync(device ${this.device} via server ${this.server})`;
}

/**
 * Before the random steps: manager 0 makes one row on every table it may write, a store makes a
 * submission, an answer and a KPI, and everyone syncs, so that the steps find records to edit,
 * delete and contest from the start.
 */
export async function warmUp(run: Run) {
  const [manager, , store] = run.devices as [FaultDevice, FaultDevice, FaultDevice, FaultDevice];
  for (const table of writableBy('manager'))
    if (!['submissions', 'submission_answers', 'kpi_data'].includes(table)) localWrite(manager, table, 'create', 0, 1);
  await manager.engine.syncNow('warm-up');
  await store.engine.syncNow('warm-up');
  for (const table of ['submissions', 'submission_answers', 'kpi_data'] as const)
    localWrite(store, table, 'create', 0, 2);
  for (const device of [store, ...run.devices.filter((d) => d !== store)]) await device.engine.syncNow('warm-up');
  await run.seed.sync(run.world.proxies[0]!.url);
}

/**
 * Every device and the seed client sync at once, spread over both servers; the seed client keeps
 * pulling until the devices are done, as a reader pulling all along: pushes and pulls overlap.
 */
export async function syncAllAtOnce(run: Run, shift: number) {
  let done = false;
  const url = run.world.proxies[shift % run.world.proxies.length]!.url;
  const reader = (async () => {
    await run.seed.sync(url);
    while (!done) if ((await run.seed.pull(url)) === 'failed') await new Promise((resolve) => setTimeout(resolve, 20));
  })();
  await Promise.all(
    run.devices.map((device, i) => {
      route(run.world, device, i + shift);
      return device.engine.syncNow('fault sequence (all at once)');
    }),
  );
  done = true;
  await reader;
}

class SyncAll extends Step {
  constructor(readonly shift: number) {
    super();
  }
  run = (_m: Run, run: Run) => syncAllAtOnce(run, this.shift);
  toString = () => `syncAllAtOnce(shift ${this.shift})`;
}

class Offline extends Step {
  constructor(
    readonly device: number,
    readonly offline: boolean,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    run.devices[this.device]!.offline = this.offline;
  }
  toString = () => `${this.offline ? 'goOffline' : 'goOnline'}(device ${this.device})`;
}

export type ProxyFaultKind = 'delay' | 'cut-request' | 'cut-response' | 'reset';

/** Arms a fault on a server's proxy for the next push or pull through it, then syncs a device there. */
class ProxyFault extends Step {
  constructor(
    readonly server: number,
    readonly fault: ProxyFaultKind,
    readonly path: 'push' | 'pull',
    readonly amount: number,
    readonly device: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    const proxy = run.world.proxies[this.server]!;
    const match = `/sync/${this.path}`;
    if (this.fault === 'delay') proxy.setDelay(this.amount);
    // The promise of a cut resolves only if it happens; a later sync may meet it, or the heal disarms it.
    if (this.fault === 'cut-request') void proxy.cutNext({ afterRequestBytes: this.amount }, match);
    if (this.fault === 'cut-response') void proxy.cutNext({ onResponse: true, afterResponseBytes: this.amount }, match);
    if (this.fault === 'reset') void proxy.cutNext({ reset: true }, match);
    const device = run.devices[this.device]!;
    route(run.world, device, this.server);
    await device.engine.syncNow('fault sequence (faulty network)');
  }
  toString = () =>
    `proxyFault(server ${this.server}: ${this.fault} ${this.amount} on ${this.path}; then sync device ${this.device})`;
}

/** The device's sync runs as a device CLI process, killed with SIGKILL after `afterMs`. */
class KillDevice extends Step {
  constructor(
    readonly device: number,
    readonly server: number,
    readonly afterMs: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    const device = run.devices[this.device]!;
    route(run.world, device, this.server);
    const { killed, code } = await syncInProcessKilledAfter(device, this.afterMs);
    if (!killed) run.notes.push(`${this.toString()}: the process had exited (${code}) before the kill`);
  }
  toString = () => `kill9Device(device ${this.device} syncing via server ${this.server}, after ${this.afterMs} ms)`;
}

/** Everyone syncs at once; a server process is killed with SIGKILL meanwhile, then started again. */
class KillServer extends Step {
  constructor(
    readonly server: number,
    readonly afterMs: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    const server = run.world.servers[this.server]!;
    const syncing = syncAllAtOnce(run, this.server);
    await new Promise((resolve) => setTimeout(resolve, this.afterMs));
    await server.kill9();
    await syncing;
    await server.restart();
  }
  toString = () => `kill9Server(server ${this.server} while all sync, after ${this.afterMs} ms)`;
}

class ClockOffset extends Step {
  constructor(
    readonly device: number | 'seed',
    readonly minutes: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    const offset = this.minutes * 60_000;
    if (this.device === 'seed') run.seed.clockOffsetMs = offset;
    else run.devices[this.device]!.clockOffsetMs = offset;
    if (offset !== 0) run.skewed.add(this.device === 'seed' ? run.seed.id : run.devices[this.device]!.id);
  }
  toString = () =>
    `clock(${this.device === 'seed' ? 'seed client' : `device ${this.device}`} ${this.minutes >= 0 ? '+' : ''}${this.minutes} min)`;
}

class SeedWrite extends Step {
  constructor(
    readonly kind: 'create' | 'edit',
    readonly index: number,
    readonly n: number,
  ) {
    super();
  }
  async run(_m: Run, run: Run) {
    const ids = run.seed.ids('kpi_data');
    const current = ids.length ? run.seed.current('kpi_data', ids[this.index % ids.length]!) : undefined;
    if (this.kind === 'create' || !current)
      run.seed.write('kpi_data', {
        id: randomUUID(),
        metric: 'seed_client',
        value: this.n,
        store_id: run.seed.id,
        period: null,
        target: null,
        deleted_at: null,
      });
    else run.seed.write('kpi_data', { ...current, value: this.n });
  }
  toString = () => `seedClient.${this.kind}(kpi_data #${this.index}, value=${this.n})`;
}

class SeedSync extends Step {
  constructor(readonly server: number) {
    super();
  }
  async run(_m: Run, run: Run) {
    await run.seed.sync(run.world.proxies[this.server]!.url);
  }
  toString = () => `seedClient.sync(via server ${this.server})`;
}

const device = fc.nat({ max: deviceRoles.length - 1 });
const server = fc.nat({ max: 1 });
const stores = deviceRoles.flatMap((role, i) => (role === 'store' ? [i] : []));

const write = device.chain((d) =>
  fc
    .tuple(
      fc.constantFrom(...writableBy(deviceRoles[d]!)),
      fc.constantFrom<WriteKind>('create', 'create', 'edit', 'edit', 'delete', 'restore'),
      fc.nat(50),
      fc.nat(10_000),
      fc.integer({ min: 1, max: 4 }),
    )
    .map(([table, kind, index, n, count]) => new Write(d, table, kind, index, n, count)),
);

/** Many KPIs at once on one device: a push that stays open a while, for the next syncAllAtOnce to overlap. */
const bulk = fc
  .tuple(device, fc.integer({ min: 100, max: 400 }), fc.nat(10_000))
  .map(([d, count, n]) => new Write(d, 'kpi_data', 'create', 0, n, count));

const contested = fc
  .tuple(device, device, fc.nat(50), fc.nat(10_000), server)
  .filter(([a, b]) => a !== b)
  .chain(([a, b, index, n, s]) => {
    const both = writableBy(deviceRoles[a]!).filter((t) => writableBy(deviceRoles[b]!).includes(t));
    return fc.constantFrom(...both).map((table) => new ContestedEdit(a, b, table, index, n, s));
  });

const fieldEdits = fc
  .tuple(device, device, fc.nat(50), fc.nat(10_000), server)
  .filter(([a, b]) => a !== b)
  .chain(([a, b, index, n, s]) => {
    const both = writableBy(deviceRoles[a]!).filter(
      (t) => writableBy(deviceRoles[b]!).includes(t) && otherColumn[t] !== undefined,
    );
    return fc.constantFrom(...both).map((table) => new FieldEdits(a, b, table, index, n, s));
  });

/** The command arbitraries, weighted so writes and syncs dominate and the faults come often enough. */
export const faultCommands: fc.Arbitrary<FaultCommand>[] = [
  ...Array.from({ length: 6 }, () => write),
  contested,
  contested,
  fieldEdits,
  bulk,
  fc
    .tuple(fc.constantFrom(...stores), fc.constantFrom(...managerOnlyTables), fc.nat(50), fc.nat(10_000))
    .map(([d, t, i, n]) => new ForbiddenWrite(d, t, i, n)),
  fc.tuple(device, server).map(([d, s]) => new Sync(d, s)),
  fc.tuple(device, server).map(([d, s]) => new Sync(d, s)),
  server.map((s) => new SyncAll(s)),
  fc.tuple(device, fc.boolean()).map(([d, off]) => new Offline(d, off)),
  fc
    .tuple(
      server,
      fc.constantFrom<ProxyFaultKind>('delay', 'cut-request', 'cut-response', 'reset'),
      fc.constantFrom<'push' | 'pull'>('push', 'pull'),
      fc.nat(600),
      device,
    )
    .map(([s, fault, path, amount, d]) => new ProxyFault(s, fault, path, fault === 'delay' ? amount % 300 : amount, d)),
  fc.tuple(device, server, fc.integer({ min: 100, max: 2500 })).map(([d, s, ms]) => new KillDevice(d, s, ms)),
  fc.tuple(server, fc.integer({ min: 0, max: 400 })).map(([s, ms]) => new KillServer(s, ms)),
  fc
    .tuple(fc.oneof(device, fc.constant('seed' as const)), fc.constantFrom(0, 0, 3, -3, 24 * 60, -24 * 60))
    .map(([d, m]) => new ClockOffset(d, m)),
  fc
    .tuple(fc.constantFrom<'create' | 'edit'>('create', 'edit'), fc.nat(50), fc.nat(10_000))
    .map(([kind, i, n]) => new SeedWrite(kind, i, n)),
  server.map((s) => new SeedSync(s)),
];
