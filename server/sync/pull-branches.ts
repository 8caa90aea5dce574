// The parts of a pull page (pull.ts), one per table plus the scope moves, each with its own start
// position and filters. Kept apart from the page query so the scope rules stay one clause per
// branch (scope.ts says which rows belong to which store):
//  - a table a store device reads whole (forms, fields, ...): every row after `main`;
//  - a scoped table: the rows of the device's store after `scopedFrom`; in a re-scope phase also
//    the rows of its former stores, served as `removed` ids (`gone`);
//  - scope_moves: rows that left one of the device's stores after `main`, served as `removed`.
import { sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import { after, type Position } from './position.js';
import type { ScopePlan } from './rescope.js';
import { isScoped, scopeFilter } from './scope.js';

export interface PullBranch {
  table: SQL;
  /** The name the FROM item is known by (for the position columns). */
  alias: SQLChunk;
  from: SQLChunk;
  where: SQL;
  /** The row as served (jsonb); for a removed row only its id. */
  row: SQL;
  /** true: serve as `removed`, not as a change. */
  gone: SQL;
}

const below = (alias: string, horizon: string) => sql`${sql.identifier(alias)}.server_txid < ${horizon}::bigint`;

function tableBranch(plan: ScopePlan, table: TableName, horizon: string): PullBranch {
  const t = sql.identifier(table);
  const scoped = plan.scope !== null && isScoped(table);
  const from: Position = scoped ? plan.scopedFrom : plan.main;
  const base = sql`${after(table, from)} and ${below(table, horizon)}`;
  const whole = { table: sql`${table}`, alias: t, from: t, row: sql`to_jsonb(${t})` };
  if (!scoped) return { ...whole, where: base, gone: sql`false` };
  const mine = scopeFilter(table, [plan.scope!])!;
  const former = plan.phase?.oldStores.length ? scopeFilter(table, plan.phase.oldStores) : null;
  if (!former) return { ...whole, where: sql`${base} and ${mine}`, gone: sql`false` };
  return {
    ...whole,
    where: sql`${base} and (${mine} or ${former})`,
    row: sql`case when ${mine} then to_jsonb(${t}) else jsonb_build_object('id', ${t}.id) end`,
    gone: sql`not (${mine})`,
  };
}

function movesBranch(plan: ScopePlan, tables: TableName[], horizon: string): PullBranch | null {
  const scoped = tables.filter(isScoped);
  if (plan.scope === null || scoped.length === 0) return null;
  const m = sql.identifier('scope_moves');
  const mine = [plan.scope, ...(plan.phase?.oldStores ?? [])];
  const list = (values: string[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  return {
    table: sql`${m}.table_name`,
    alias: m,
    from: m,
    where: sql`${after('scope_moves', plan.main)} and ${below('scope_moves', horizon)}
      and ${m}.table_name in (${list(scoped)}) and ${m}.from_store in (${list(mine)})
      and ${m}.to_store is distinct from ${plan.scope}`,
    row: sql`jsonb_build_object('id', ${m}.record_id)`,
    gone: sql`true`,
  };
}

export function scopedBranches(plan: ScopePlan, tables: TableName[], horizon: string): PullBranch[] {
  const branches = tables.map((table) => tableBranch(plan, table, horizon));
  const moves = movesBranch(plan, tables, horizon);
  return moves ? [...branches, moves] : branches;
}
