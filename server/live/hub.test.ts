// The hub's fan-out rules without sockets on the wire: stand-in sockets whose send buffer the
// test chooses, so "a client that does not read" is certain rather than timing-dependent.
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Device } from '../auth/devices.js';
import type { ServerDatabase } from '../db/client.js';
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
  ping() {}
}

const device = (id: string, role: Device['role']) => ({ id, role });

function hub() {
  const bus = new MemoryChangeBus();
  const live = new LiveHub({ db: {} as ServerDatabase, bus, logger: pino({ level: 'silent' }), batchMs: 1 });
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
});
