// The engine's push against the real server: it asks for the answer by versions and gets its rows
// back as versions only; against a server that ignores the request field (an older one) it gets
// whole rows. Either way every row ends with the server's version and the queue empties.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PushResponse } from '../../shared/protocol/sync.js';
import { localTransaction } from '../db/outbox.js';
import { readLocalRow } from './local-rows.js';
import { pendingCount } from './outbox.js';
import { useServerWithDevices, type TestDevice } from './testing/devices.js';

const world = useServerWithDevices();

/** The engine's fetch, keeping each push answer; `older`: the request's `answer` field removed first. */
function recordingPushes(answers: PushResponse[], older: boolean): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    if (!url.endsWith('/sync/push')) return fetch(input, init);
    // A small push's body is plain JSON (http.ts compresses large bodies only).
    const body = JSON.parse(Buffer.from(init!.body as Uint8Array).toString('utf8')) as Record<string, unknown>;
    if (older) delete body.answer;
    const response = await fetch(input, { ...init, body: JSON.stringify(body) });
    answers.push((await response.clone().json()) as PushResponse);
    return response;
  };
}

async function pushKpis(device: TestDevice) {
  const at = new Date().toISOString();
  const ids = Array.from({ length: 5 }, () => randomUUID());
  localTransaction(device.store, (local) => {
    for (const id of ids) local.write('kpi_data', { id, metric: 'sales', value: 1, updated_at: at }, 'INSERT');
  });
  await device.engine.syncNow();
  expect(device.engine.lastRun?.ok, device.engine.lastRun?.error ?? undefined).toBe(true);
  return ids;
}

/** Each row's version on the device equals the server's, and nothing is left queued. */
async function expectServerVersions(device: TestDevice, ids: string[]) {
  const held = await world.serverDb.rows('kpi_data');
  for (const id of ids) {
    expect(readLocalRow(device.store, 'kpi_data', id)?.server_version).toBe(Number(held.get(id)?.server_version));
  }
  expect(pendingCount(device.store)).toBe(0);
}

describe('the engine’s push answer', () => {
  it('comes by versions from a server that knows the field', async () => {
    const answers: PushResponse[] = [];
    const device = await world.device(world.server, 'versions-new', 'manager', {
      fetch: recordingPushes(answers, false),
    });
    const ids = await pushKpis(device);
    expect(answers.flatMap((answer) => answer.stored_as_pushed?.kpi_data ?? []).map((entry) => entry.id)).toEqual(ids);
    expect(answers.flatMap((answer) => answer.applied.kpi_data ?? [])).toEqual([]);
    await expectServerVersions(device, ids);
  });

  it('comes whole from a server that ignores it, and ends the same', async () => {
    const answers: PushResponse[] = [];
    const device = await world.device(world.server, 'versions-old', 'manager', {
      fetch: recordingPushes(answers, true),
    });
    const ids = await pushKpis(device);
    expect(answers.flatMap((answer) => answer.applied.kpi_data ?? []).map((row) => row.id)).toEqual(ids);
    expect(answers.every((answer) => answer.stored_as_pushed === undefined)).toBe(true);
    await expectServerVersions(device, ids);
  });
});
