// The hub's fan-out rules without sockets on the wire: stand-in sockets whose send buffer the
// test chooses, so "a client that does not read" is certain rather than timing-dependent.
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { changeDeviceStore } from '../auth/device-scope.js';
import { enrollDevice, type Device } from '../auth/devices.js';
import type { ServerDatabase } from '../db/client.js';
import { useTestDatabase } from '../testing/test-database.js';
import { MemoryChangeBus } from './bus.js';
import { LiveHub } from './hub.js';

class StandInSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent: unknown[] = [];
  terminated = false;
  constructor(public bufferedAmount = 0) {
    super();
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  ping() {
    this.emit('pong'); // a live client answers at once
  }
}

const device = (id: string, role: Device['role'], store_id?: string | null) => ({ id, role, store_id });

const database = useTestDatabase('live_hub');

function hub(options: { db?: ServerDatabase; pingIntervalMs?: number } = {}) {
  const bus = new MemoryChangeBus();
  const live = new LiveHub({
    db: options.db ?? ({} as ServerDatabase),
    bus,
    logger: pino({ level: 'silent' }),
    batchMs: 1,
    pingIntervalMs: options.pingIntervalMs,
  });
  const connect = (socket: StandInSocket, who: Device) =>
    (live as unknown as { add(ws: unknown, d: Device): void }).add(socket, who);
  return { bus, live, connect };
}

const flushed = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('live hub fan-out', () => {
  it('drops a socket whose send buffer is full and still pokes the others', async () => {
    const { bus, live, connect } = hub();
    const slow = new StandInSocket(10 * 1024 * 1024);
    const fast = new StandInSocket();
    connect(slow, device('slow-manager', 'manager'));
    connect(fast, device('fast-manager', 'manager'));
    await bus.publish({ tables: ['kpi_data'], version: '7', device_id: 'store-1' });
    await flushed();
    expect(slow.terminated).toBe(true);
    expect(slow.sent).toEqual([]);
    expect(fast.sent).toEqual([{ type: 'poke', tables: ['kpi_data'], version: '7' }]);
    expect(live.size).toBe(1);
    live.close();
  });

  it('batches notices into one poke per socket with the latest version, leaving out the pusher and unreadable tables', async () => {
    const { bus, live, connect } = hub();
    const manager = new StandInSocket();
    const store = new StandInSocket();
    const pusher = new StandInSocket();
    connect(manager, device('m', 'manager'));
    connect(store, device('s', 'store'));
    connect(pusher, device('p', 'manager'));
    await bus.publish({ tables: ['settings'], version: '8', device_id: 'p' });
    await bus.publish({ tables: ['kpi_data'], version: '9', device_id: 'p' });
    await flushed();
    expect(manager.sent).toEqual([{ type: 'poke', tables: ['settings', 'kpi_data'], version: '9' }]);
    expect(store.sent).toEqual([{ type: 'poke', tables: ['kpi_data'], version: '9' }]);
    expect(pusher.sent).toEqual([]);
    live.close();
  });

  it("pokes a store's devices about their own store's pushes only; managers and storeless devices about all", async () => {
    const { bus, live, connect } = hub();
    const manager = new StandInSocket();
    const sameStore = new StandInSocket();
    const otherStore = new StandInSocket();
    const storeless = new StandInSocket();
    connect(manager, device('m', 'manager'));
    connect(sameStore, device('s1-b', 'store', 'S001'));
    connect(otherStore, device('s2', 'store', 'S002'));
    connect(storeless, device('s0', 'store', null));
    await bus.publish({ tables: ['kpi_data'], version: '10', device_id: 's1-a', store: 'S001' });
    await flushed();
    const poke = { type: 'poke', tables: ['kpi_data'], version: '10' };
    expect(manager.sent).toEqual([poke]);
    expect(sameStore.sent).toEqual([poke]);
    expect(storeless.sent).toEqual([poke]);
    expect(otherStore.sent).toEqual([]);
    // A push concerning every store (a manager's: no store) reaches the other store too.
    await bus.publish({ tables: ['kpi_data'], version: '11', device_id: 'm', store: null });
    await flushed();
    expect(otherStore.sent).toEqual([{ type: 'poke', tables: ['kpi_data'], version: '11' }]);
    live.close();
  });

  it('hears of its new store once a device moved while connected (read again every ping round)', async () => {
    await enrollDevice(database.db, 'moving-phone', 'store', 'cli', 'S001');
    const { bus, live, connect } = hub({ db: database.db, pingIntervalMs: 20 });
    const phone = new StandInSocket();
    connect(phone, device('moving-phone', 'store', 'S001'));
    const pokes = () => phone.sent.filter((message) => (message as { type: string }).type === 'poke');
    await bus.publish({ tables: ['kpi_data'], version: '20', device_id: 'other', store: 'S002' });
    await flushed();
    expect(pokes()).toEqual([]);

    expect((await changeDeviceStore(database.db, 'moving-phone', 'S002')).outcome).toBe('moved');
    await new Promise((resolve) => setTimeout(resolve, 100)); // a few ping rounds
    await bus.publish({ tables: ['kpi_data'], version: '21', device_id: 'other', store: 'S002' });
    await bus.publish({ tables: ['kpi_data'], version: '22', device_id: 'other', store: 'S001' });
    await flushed();
    // One poke, for its new store's push only (the two notices make one batch).
    expect(pokes()).toEqual([{ type: 'poke', tables: ['kpi_data'], version: '21' }]);
    live.close();
  });
});
