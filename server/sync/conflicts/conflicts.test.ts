import { describe, expect, it } from 'vitest';
import { tableRegistry } from '../../../shared/tables.js';
import { resolveConflict, type ConflictCase } from './index.js';
import { latestWins } from './latest-wins.js';
import { managerWins } from './manager-wins.js';
import { serverWins } from './server-wins.js';

const base: ConflictCase = {
  pusherRole: 'store',
  clientUpdatedAt: '2025-12-18T10:50:00.000Z',
  serverUpdatedAt: '2025-12-18T10:45:00.000Z',
  serverReceivedAt: '2025-12-18T10:45:02.000Z',
  clockSkewMs: 0,
};
const DAY = 24 * 60 * 60 * 1000;

describe('manager_wins', () => {
  it('lets the manager overwrite a change made by another device', () => {
    expect(managerWins({ ...base, pusherRole: 'manager', clientUpdatedAt: '2020-01-01T00:00:00Z' })).toBe('client_wins');
  });
  it('keeps the server version when a store device pushes, however late its clock says', () => {
    expect(managerWins({ ...base, pusherRole: 'store', clientUpdatedAt: '2030-01-01T00:00:00Z' })).toBe('server_wins');
  });
});

describe('latest_wins', () => {
  it('lets the later updated_at win', () => {
    expect(latestWins(base)).toBe('client_wins');
    expect(latestWins({ ...base, clientUpdatedAt: '2025-12-18T10:40:00Z' })).toBe('server_wins');
  });
  it('gives a tie to the server', () => {
    expect(latestWins({ ...base, clientUpdatedAt: base.serverUpdatedAt })).toBe('server_wins');
  });
  it('ignores small clock drift', () => {
    // 90 s of skew is drift: the client's 5-minute lead stands.
    expect(latestWins({ ...base, clockSkewMs: -90_000 })).toBe('client_wins');
  });
  it('does not let a device whose clock runs days ahead win', () => {
    // The device's clock is 3 days ahead: its updated_at says 3 days in the future, but corrected
    // by the skew it is before the server's version.
    const client = new Date(Date.parse(base.serverUpdatedAt) + 3 * DAY - 60_000).toISOString();
    expect(latestWins({ ...base, clientUpdatedAt: client, clockSkewMs: -3 * DAY })).toBe('server_wins');
  });
  it('counts a server row dated days after the server received it as made on receipt (its writer\'s clock ran ahead)', () => {
    const stored = { ...base, serverUpdatedAt: '2025-12-21T10:45:00.000Z', serverReceivedAt: '2025-12-18T10:45:02.000Z' };
    expect(latestWins({ ...stored, clientUpdatedAt: '2025-12-18T10:50:00.000Z' })).toBe('client_wins');
    expect(latestWins({ ...stored, clientUpdatedAt: '2025-12-18T10:40:00.000Z' })).toBe('server_wins');
  });
  it('leaves a server row dated minutes after its receipt alone', () => {
    const stored = { ...base, serverUpdatedAt: '2025-12-18T10:49:00.000Z', serverReceivedAt: '2025-12-18T10:45:02.000Z' };
    expect(latestWins({ ...stored, clientUpdatedAt: '2025-12-18T10:48:00.000Z' })).toBe('server_wins');
  });
  it('lets a device whose clock runs days behind win with a genuinely later edit', () => {
    const client = new Date(Date.parse(base.serverUpdatedAt) - 2 * DAY + 60_000).toISOString();
    expect(latestWins({ ...base, clientUpdatedAt: client, clockSkewMs: 2 * DAY })).toBe('client_wins');
  });
});

describe('server_wins', () => {
  it('always keeps the server version, even for the manager', () => {
    expect(serverWins({ ...base, pusherRole: 'manager' })).toBe('server_wins');
  });
});

describe('the registry picks the seed rule per table', () => {
  it('resolves forms for the manager, team for the server and submissions by time', () => {
    expect(resolveConflict(tableRegistry.forms.rule, { ...base, pusherRole: 'manager' })).toBe('client_wins');
    expect(resolveConflict(tableRegistry.team.rule, { ...base, pusherRole: 'manager' })).toBe('server_wins');
    expect(resolveConflict(tableRegistry.submissions.rule, base)).toBe('client_wins');
    expect(resolveConflict(tableRegistry.kpi_data.rule, { ...base, clientUpdatedAt: '2025-12-18T10:00:00Z' })).toBe(
      'server_wins',
    );
  });
});
