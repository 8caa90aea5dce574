import { describe, expect, it } from 'vitest';
import { tableRegistry } from '../../../shared/tables.js';
import { correctedEditTime, storedEditTime } from './edit-time.js';
import { applyConflictRule, type ConflictCase } from './index.js';
import { latestWins } from './latest-wins.js';
import { managerWins } from './manager-wins.js';
import { serverWins } from './server-wins.js';

const base: ConflictCase = {
  pusherRole: 'store',
  clientEditedAt: '2025-12-18T10:50:00.000Z',
  serverEditedAt: '2025-12-18T10:45:00.000Z',
};
const DAY = 24 * 60 * 60 * 1000;
const received = new Date('2025-12-18T11:00:00.000Z');

describe('manager_wins', () => {
  it('lets the manager overwrite a change made by another device', () => {
    expect(managerWins({ ...base, pusherRole: 'manager', clientEditedAt: '2020-01-01T00:00:00Z' })).toBe('client_wins');
  });
  it('keeps the server version when a store device pushes, however late its edit', () => {
    expect(managerWins({ ...base, pusherRole: 'store', clientEditedAt: '2025-12-18T10:59:00Z' })).toBe('server_wins');
  });
});

describe('latest_wins', () => {
  it('lets the later edit win', () => {
    expect(latestWins(base)).toBe('client_wins');
    expect(latestWins({ ...base, clientEditedAt: '2025-12-18T10:40:00Z' })).toBe('server_wins');
  });
  it('gives a tie to the server', () => {
    expect(latestWins({ ...base, clientEditedAt: base.serverEditedAt })).toBe('server_wins');
  });
});

describe('edit times on the server clock', () => {
  it('ignores small clock drift', () => {
    // 90 s of skew is drift (and latency): the device's own time stands.
    expect(correctedEditTime('2025-12-18T10:50:00.000Z', -90_000, received).toISOString()).toBe(
      '2025-12-18T10:50:00.000Z',
    );
  });
  it('shifts the edit of a device whose clock runs a day ahead or behind by its offset', () => {
    // The device's clock says a day later than the server's: its 10:50 tomorrow is 10:50 today.
    expect(correctedEditTime('2025-12-19T10:50:00.000Z', -DAY, received).toISOString()).toBe(
      '2025-12-18T10:50:00.000Z',
    );
    expect(correctedEditTime('2025-12-17T10:50:00.000Z', DAY, received).toISOString()).toBe('2025-12-18T10:50:00.000Z');
  });
  it('never dates an edit more than an hour after the push that carried it arrived', () => {
    expect(correctedEditTime('2025-12-18T11:01:30.000Z', 0, received).toISOString()).toBe('2025-12-18T11:01:30.000Z');
    expect(correctedEditTime('2025-12-18T14:00:00.000Z', 0, received).toISOString()).toBe(received.toISOString());
  });
  it('takes a stored row at its corrected edit time', () => {
    const row = {
      edited_at: '2025-12-18T09:00:00.000Z',
      updated_at: '2025-12-19T09:00:00.000Z',
      server_updated_at: '2025-12-18T09:00:05.000Z',
    };
    expect(storedEditTime(row).toISOString()).toBe('2025-12-18T09:00:00.000Z');
  });
  it('counts an older row (no edited_at) dated far beyond its receipt as made on receipt', () => {
    const row = {
      edited_at: null,
      updated_at: '2025-12-21T10:45:00.000Z',
      server_updated_at: '2025-12-18T10:45:02.000Z',
    };
    expect(storedEditTime(row).toISOString()).toBe('2025-12-18T10:45:02.000Z');
    const near = {
      edited_at: null,
      updated_at: '2025-12-18T10:49:00.000Z',
      server_updated_at: '2025-12-18T10:45:02.000Z',
    };
    expect(storedEditTime(near).toISOString()).toBe('2025-12-18T10:49:00.000Z');
  });
});

describe('server_wins', () => {
  it('always keeps the server version, even for the manager', () => {
    expect(serverWins({ ...base, pusherRole: 'manager' })).toBe('server_wins');
  });
});

describe('the registry picks the seed rule per table', () => {
  it('resolves forms for the manager, team for the server and submissions by time', () => {
    expect(applyConflictRule(tableRegistry.forms.rule, { ...base, pusherRole: 'manager' })).toBe('client_wins');
    expect(applyConflictRule(tableRegistry.team.rule, { ...base, pusherRole: 'manager' })).toBe('server_wins');
    expect(applyConflictRule(tableRegistry.submissions.rule, base)).toBe('client_wins');
    expect(applyConflictRule(tableRegistry.kpi_data.rule, { ...base, clientEditedAt: '2025-12-18T10:00:00Z' })).toBe(
      'server_wins',
    );
  });
});
