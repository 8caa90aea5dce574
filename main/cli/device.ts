// The headless device (issue 3, item 8): a store or manager device with its own SQLite file,
// driving the same sync engine as the app. It is the reference client for the future store app,
// and the tool for demos, end-to-end tests and benchmarks.
//   npm run device -- --data <dir> [--server <url> --device <id> --token <t>] <command> [options]
// Commands: status | pull | push | sync | submit | list <table> | pending | conflicts | loop
// Exit codes: 0 done, 1 the sync or the command failed (also: the server refused a change), 2 wrong usage.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fieldTypes, isTableName, tablesReadableBy, tableNames } from '../../shared/tables.js';
import { openLocalStore, type LocalStore } from '../db/client.js';
import { checkConnection, readConnection, saveConnection } from '../sync/config.js';
import { SyncEngine } from '../sync/engine.js';
import { normaliseServerUrl, SyncClient } from '../sync/http.js';
import { tableStatements } from '../sync/local-rows.js';
import { createSyncLogger } from '../sync/log.js';
import { pullChanges, readCursor } from '../sync/pull.js';
import { findStoreByCode, requireStoreCode, saveForm, saveStore } from '../repos/index.js';
import { fillAndComplete, findPublishedForm, parseAnswers, UsageError } from './submission.js';

const usage = `Usage: npm run device -- [--data DIR] [--server URL --device ID --token TOKEN] COMMAND [options]

Connection (saved in DIR on first use, checked against the server before saving):
  --data DIR        the device's folder (SQLite file + sync.log); default ./.insight-device
  --server URL      sync server, e.g. http://127.0.0.1:8000
  --device ID       the device id enrolled with npm run device:add
  --token TOKEN     the token npm run device:add printed
  --allow-insecure  accept a plain http:// server outside the local network (the token travels
                    unencrypted); a company CA is trusted with NODE_EXTRA_CA_CERTS=ca.pem

Commands:
  status                          this device: connection, queue, conflicts, last sync
  pull                            pull the server's changes (pages, cursor per table)
  push                            push the queued local changes
  sync                            push, then pull
  submit --form ID|TITLE [--store CODE] [--by NAME] [--answers JSON] [--offline]
                                  fill every field of a published form, complete it and push it
                                  at once (--offline: only queue it); --store names one of the
                                  synced stores by its code, e.g. S001
  create-form --title T --field "Label:type[:required]" ... [--draft]
                                  (manager) create and publish a form (seed, Example 1), then push;
                                  types: text number boolean choice(a|b|c) date
  create-store --code CODE --name NAME [--region R]
                                  (manager) add a store (rows name it by its code), then push
  list TABLE [--limit N] [--all]  rows of a local table as JSON lines (--all: with tombstones)
  pending                         queued changes and those the server refused
  conflicts                       conflicts the server decided for this device
  loop --every SEC --count N [--form ID|TITLE ...]
                                  N rounds, SEC seconds apart: submit (with --form), then sync`;

const { values: flags, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        server: { type: 'string' },
        device: { type: 'string' },
        token: { type: 'string' },
        'allow-insecure': { type: 'boolean', default: false },
        form: { type: 'string' },
        store: { type: 'string' },
        by: { type: 'string' },
        answers: { type: 'string' },
        offline: { type: 'boolean', default: false },
        limit: { type: 'string' },
        all: { type: 'boolean', default: false },
        every: { type: 'string' },
        count: { type: 'string' },
        title: { type: 'string' },
        code: { type: 'string' },
        name: { type: 'string' },
        region: { type: 'string' },
        field: { type: 'string', multiple: true },
        draft: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
})();

const say = (line: string) => console.log(line);

async function main(): Promise<number> {
  const [command, ...rest] = positionals;
  if (flags.help || !command) {
    say(usage);
    return command || flags.help ? 0 : 2;
  }
  const dataDir = resolve(flags.data ?? process.env.INSIGHT_DEVICE_DATA ?? '.insight-device');
  const store = openLocalStore(join(dataDir, 'insight-device.sqlite'));
  try {
    await configure(store);
    const engine = new SyncEngine({ store, logger: createSyncLogger(join(dataDir, 'sync.log')) });
    // `return await`: the store must stay open until the command's promise has settled.
    switch (command) {
      case 'status':
        return status(store, engine);
      case 'pull':
        return await pull(store);
      case 'push':
        return await run(engine, 'push');
      case 'sync':
        return await run(engine, 'full');
      case 'submit':
        return await submit(store, engine, flags.offline ?? false);
      case 'create-form':
        return await createForm(store, engine);
      case 'create-store':
        return await createStore(store, engine);
      case 'list':
        return list(store, rest[0]);
      case 'pending':
        return pending(engine);
      case 'conflicts':
        return conflicts(engine);
      case 'loop':
        return await loop(store, engine);
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } finally {
    store.close();
  }
}

/** Saves --server/--device/--token after checking them; otherwise uses what DIR remembers. */
async function configure(store: LocalStore): Promise<void> {
  const given = [flags.server, flags.device, flags.token].filter((v) => v !== undefined).length;
  if (given === 0) return;
  const saved = readConnection(store);
  const input = {
    server_url: flags.server ?? saved?.server_url ?? '',
    device_id: flags.device ?? saved?.device_id ?? '',
    token: flags.token ?? saved?.token ?? '',
  };
  if (!input.server_url || !input.device_id || !input.token) {
    throw new UsageError('The first use needs all three of --server, --device and --token');
  }
  if (
    saved &&
    saved.server_url === normaliseServerUrl(input.server_url) &&
    saved.device_id === input.device_id &&
    saved.token === input.token
  )
    return;
  const check = await checkConnection(input, { allowInsecure: flags['allow-insecure'] });
  if (!check.ok) throw new Error(check.error);
  saveConnection(store, { ...input, role: check.role });
  say(`connected: device ${input.device_id} (${check.role}) at ${input.server_url}`);
}

function requireConnection(store: LocalStore) {
  const config = readConnection(store);
  if (!config) throw new UsageError('This device is not connected yet: pass --server, --device and --token once');
  return config;
}

function status(store: LocalStore, engine: SyncEngine): number {
  const config = requireConnection(store);
  const s = engine.status();
  say(`device      ${config.device_id} (${config.role})`);
  say(`server      ${config.server_url}`);
  say(`last sync   ${s.last_sync_at ?? 'never'}`);
  say(`pending     ${s.pending_count} change(s) queued, ${s.needs_attention_count} refused by the server`);
  say(`conflicts   ${s.open_conflicts} open`);
  for (const table of tablesReadableBy(config.role)) {
    const n = (
      store.sqlite.prepare(`SELECT count(*) AS n FROM "${table}" WHERE deleted_at IS NULL`).get() as { n: number }
    ).n;
    say(`  ${table.padEnd(20)} ${String(n).padStart(7)} row(s)  cursor ${readCursor(store, table) ?? '-'}`);
  }
  return 0;
}

async function pull(store: LocalStore): Promise<number> {
  const config = requireConnection(store);
  const client = new SyncClient({ serverUrl: config.server_url, deviceId: config.device_id, token: config.token });
  let lastShown = -1;
  const result = await pullChanges({
    store,
    client,
    tables: tablesReadableBy(config.role),
    onProgress: (p) => {
      if (p.total > 1000 && p.done !== lastShown) say(`  pulled ${p.done}/${p.total}`);
      lastShown = p.done;
    },
  });
  const perTable = Object.entries(result.perTable)
    .filter(([, n]) => n)
    .map(([t, n]) => `${t} ${n}`);
  say(
    `pulled ${result.received} change(s) in ${result.pages} page(s)${perTable.length ? `: ${perTable.join(', ')}` : ''}`,
  );
  if (result.keptLocal > 0) say(`kept ${result.keptLocal} row(s) with unpushed local edits`);
  return 0;
}

async function run(engine: SyncEngine, kind: 'push' | 'full'): Promise<number> {
  requireConnection(engine.store);
  await engine.syncNow('device cli', kind);
  const last = engine.lastRun;
  if (!last) return 1;
  if (last.pushed) {
    const p = last.pushed;
    say(
      `pushed ${p.pushed} change(s)` +
        (p.conflicts ? `, ${p.conflicts} conflict(s)` : '') +
        (p.refused ? `, ${p.refused} refused by the server (see: pending)` : '') +
        (p.duplicates ? `, ${p.duplicates} already applied earlier` : ''),
    );
  } else if (last.ok) {
    say('nothing to push');
  }
  if (last.pulled) say(`pulled ${last.pulled.received} change(s) in ${last.pulled.pages} page(s)`);
  if (!last.ok) {
    const s = engine.status();
    console.error(`sync failed (${s.state}): ${last.error}`);
    say(`${s.pending_count} change(s) stay queued`);
    return 1;
  }
  // The run went through, but the server refused some of its changes for good: they did not
  // reach the server, so for a script (submit && …) the command did not do what it was asked.
  if (last.pushed && last.pushed.refused > 0) {
    console.error(`${last.pushed.refused} change(s) refused by the server; see: pending`);
    return 1;
  }
  return 0;
}

async function submit(store: LocalStore, engine: SyncEngine, offline: boolean): Promise<number> {
  const config = requireConnection(store);
  if (!flags.form) throw new UsageError('submit needs --form ID|TITLE');
  let form = findPublishedForm(store, flags.form);
  if (!form && !offline) {
    // Not here yet: the manager may have published it since our last pull.
    await pull(store);
    form = findPublishedForm(store, flags.form);
  }
  if (!form)
    throw new UsageError(
      `No published form "${flags.form}" on this device${offline ? ' (pull it while online first)' : ''}`,
    );
  const storeId = await knownStore(store, flags.store, offline);
  const filled = fillAndComplete(store, form, {
    storeId,
    submittedBy: flags.by ?? config.device_id,
    answers: parseAnswers(flags.answers),
  });
  say(
    `completed submission ${filled.submission.id} of "${form.title}"${filled.submission.store_id ? ` for store ${filled.submission.store_id}` : ''}`,
  );
  for (const answer of filled.answers) say(`  ${answer.label}: ${JSON.stringify(answer.value)}`);
  if (offline) {
    say(`queued offline: ${engine.status().pending_count} change(s) waiting for the next sync`);
    return 0;
  }
  // Seed, Example 2 step 3: "Immediate sync triggered".
  return run(engine, 'push');
}

/**
 * The --store code, checked against the synced stores (rows name their store by its code, so a
 * typo would file the submission under a store nobody has). Pulls once when it is not known yet:
 * the manager may have added the store since the last pull.
 */
async function knownStore(store: LocalStore, code: string | undefined, offline: boolean): Promise<string | null> {
  if (code === undefined) return null;
  if (!offline && !findStoreByCode(store, code)) await pull(store);
  try {
    return requireStoreCode(store, code);
  } catch (error) {
    throw new UsageError(`--store: ${(error as Error).message}${offline ? ' (pull while online first)' : ''}`);
  }
}

async function createForm(store: LocalStore, engine: SyncEngine): Promise<number> {
  const config = requireConnection(store);
  if (config.role !== 'manager') throw new UsageError('Only a manager device creates forms');
  if (!flags.title) throw new UsageError('create-form needs --title');
  const draft = {
    form: { title: flags.title, status: flags.draft ? ('draft' as const) : ('published' as const) },
    sections: [],
    fields: (flags.field ?? []).map((spec, position) => parseFieldSpec(spec, position)),
  };
  const form = saveForm(store, draft);
  say(
    `${flags.draft ? 'saved draft' : 'published'} form ${form.form.id} "${form.form.title}" with ${form.fields.length} field(s)`,
  );
  return run(engine, 'push');
}

async function createStore(store: LocalStore, engine: SyncEngine): Promise<number> {
  const config = requireConnection(store);
  if (config.role !== 'manager') throw new UsageError('Only a manager device adds stores');
  let saved;
  try {
    saved = saveStore(store, { code: flags.code ?? '', name: flags.name ?? '', region: flags.region ?? null });
  } catch (error) {
    throw new UsageError(`create-store: ${(error as Error).message}`);
  }
  say(`added store ${saved.code} "${saved.name}"${saved.region ? ` (${saved.region})` : ''}`);
  return run(engine, 'push');
}

function parseFieldSpec(spec: string, position: number) {
  const [label, rawType = 'text', flag] = spec.split(':');
  const choice = /^choice\((.*)\)$/.exec(rawType);
  const type = choice ? 'choice' : rawType;
  if (!label || !(fieldTypes as readonly string[]).includes(type)) {
    throw new UsageError(
      `--field "${spec}" must look like "Label:type" with type text, number, boolean, choice(a|b) or date`,
    );
  }
  return {
    section_index: null,
    label,
    type: type as (typeof fieldTypes)[number],
    required: flag === 'required',
    options: choice ? choice[1]!.split('|') : null,
    position,
  };
}

function list(store: LocalStore, table: string | undefined): number {
  if (!table || !isTableName(table)) throw new UsageError(`list needs a table: ${tableNames.join(', ')}`);
  const limit = flags.limit ? Number(flags.limit) : 1000;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  // One query for the page of rows (not one read per id); printed in the engine's wire shape.
  const statements = tableStatements(store, table);
  const raws = store.sqlite
    .prepare(`SELECT * FROM "${table}" ${flags.all ? '' : 'WHERE deleted_at IS NULL'} ORDER BY updated_at, id LIMIT ?`)
    .all(limit) as Record<string, unknown>[];
  for (const raw of raws) say(JSON.stringify(statements.fromSqlite(raw)));
  console.error(`${raws.length} row(s) of ${table}`);
  return 0;
}

function pending(engine: SyncEngine): number {
  const rows = engine.listPendingChanges();
  for (const row of rows) {
    say(
      `${row.id}\t${row.operation}\t${row.table}/${row.record_id}\t${row.created_at}${row.needs_attention ? `\tREFUSED: ${row.last_error}` : ''}`,
    );
  }
  say(`${rows.length} change(s) not yet on the server`);
  return 0;
}

function conflicts(engine: SyncEngine): number {
  const rows = engine.listConflicts({ include_closed: true });
  for (const c of rows) {
    say(
      `${c.id}\t${c.status}\t${c.table}/${c.record_id}\t${c.rule} → ${c.resolution}\tfields: ${c.differing_fields.join(', ') || '-'}`,
    );
  }
  say(`${rows.length} conflict(s)`);
  return 0;
}

async function loop(store: LocalStore, engine: SyncEngine): Promise<number> {
  const every = Number(flags.every ?? '10');
  const count = Number(flags.count ?? '1');
  if (!(every >= 0) || !Number.isInteger(count) || count < 1)
    throw new UsageError('loop needs --every SECONDS (>= 0) and --count N (>= 1)');
  let failures = 0;
  // Between rounds, the live socket brings other devices' changes as they happen (each poke is a
  // pull); where it cannot be held, the rounds' syncs still bring them.
  let between = false;
  engine.on('data-changed', (tables) => {
    if (between) say(`live: ${[...new Set(tables)].join(', ')} changed`);
  });
  engine.holdLiveLink();
  for (let round = 1; round <= count; round += 1) {
    say(`round ${round}/${count} at ${new Date().toISOString()}`);
    let code = flags.form ? await submit(store, engine, false) : await run(engine, 'full');
    // After a submission, the round's sync (push, then pull) counts too: a failed one is a failed round.
    if (flags.form && code === 0) code = await run(engine, 'full');
    if (code !== 0) failures += 1;
    say(`mode: ${engine.mode()}`);
    between = true;
    if (round < count) await new Promise((r) => setTimeout(r, every * 1000));
    between = false;
  }
  await engine.stop();
  say(`${count - failures}/${count} round(s) synced`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof UsageError
        ? `${error.message}\n\n${usage}`
        : `error: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
