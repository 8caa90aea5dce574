// The repository API the IPC handlers and the headless device CLI call. Every write goes through
// main/db/outbox.ts (row + pending change in one transaction); every reader skips tombstones.
export * from './dashboard.js';
export * from './errors.js';
export * from './forms.js';
export * from './kpis.js';
export * from './settings.js';
export * from './stores.js';
export * from './submissions.js';
export * from './team.js';
export * from './templates.js';
