import { describe, expect, it } from 'vitest';
import { checkRepliesByDefault, describeIssues, handle, IpcRequestError } from './handle.js';
import { idleStatus } from '../../shared/testing/sync-status.js';
import { ipcChannels } from '../../shared/ipc.js';

describe('handle()', () => {
  it('gives the handler the parsed request with defaults filled in', async () => {
    const seen: unknown[] = [];
    const door = handle('conflicts:list', (request) => {
      seen.push(request);
      return [];
    });
    expect(await door(undefined)).toEqual({ ok: true, value: [] });
    expect(seen).toEqual([{ include_closed: false }]);
  });

  it('refuses a payload that does not fit, names the field, and never calls the handler', async () => {
    let called = false;
    const door = handle('kpis:create', () => {
      called = true;
      throw new Error('unreachable');
    });
    const result = await door({ metric: '', value: 'twelve' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain('kpis:create');
    expect(result.error).toContain('metric: Name the metric');
    expect(result.error).toContain('value: The value must be a number');
    expect(called).toBe(false);
  });

  it('refuses unknown keys on strict channels', async () => {
    const door = handle('forms:list', () => []);
    const result = await door({ sql: 'DROP TABLE forms' });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('sql') });
  });

  it('turns a thrown error into a reply instead of an exception', async () => {
    const userFacing = handle('forms:get', () => {
      throw new IpcRequestError('No form with that id');
    });
    expect(await userFacing({ id: crypto.randomUUID() })).toEqual({ ok: false, error: 'No form with that id' });

    const bug = handle('forms:get', () => {
      throw new TypeError('cannot read x of undefined');
    });
    expect(await bug({ id: crypto.randomUUID() })).toEqual({
      ok: false,
      error: 'forms:get failed: cannot read x of undefined',
    });
  });

  it('refuses a reply that drifted from its contract, naming the field, outside production', async () => {
    const errors: unknown[] = [];
    const logger = { warn: () => {}, error: (details: object) => errors.push(details) };
    // sync:status promises a whole SyncStatus; this handler forgot the mode.
    const { mode: _mode, ...drifted } = idleStatus;
    const checked = handle('sync:status', () => drifted as typeof idleStatus, logger, true);
    const result = await checked({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain('sync:status: the reply does not match the contract');
    expect(result.error).toContain('mode');
    expect(errors).toHaveLength(1);
    // A reply on contract goes through untouched; production skips the check.
    expect(await handle('sync:status', () => idleStatus, logger, true)({})).toEqual({ ok: true, value: idleStatus });
    expect((await handle('sync:status', () => drifted as typeof idleStatus, logger, false)({})).ok).toBe(true);
    expect(checkRepliesByDefault).toBe(true); // the test run is not production
  });

  it('describes several zod issues as one plain line', () => {
    const parsed = ipcChannels['config:connect'].request.safeParse({ server_url: 'nas', device_id: '', token: '' });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const text = describeIssues(parsed.error);
    expect(text).toMatch(/^server_url: Enter the server address/);
    expect(text).toContain('; device_id: ');
    expect(text).toContain('; token: Enter the device token');
  });
});
