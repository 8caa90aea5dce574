// The parts of a pull page (pull.ts), one per table plus the scope moves, each with its own start
// position and filters. Kept apart from the page query so the scope rules stay one clause per
// branch (scope.ts says which rows belong to which store):
//  - a table a store device reads whole (forms, fields, ...): every row after `main`;
//  - a scoped table: the rows of the device's store after `scopedFrom`; in a re-scope phase also
//    the rows of its former stores, served as `removed` ids (`gone`);
//  - scope_moves: rows that left one of the device's stores after `main`, served as `removed`.
import { sql } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import { after, type Position } from './position.js';
import type { PageBranch } from './pull-page.js';
import type { ScopePlan } from './rescope.js';
import { isScoped, scopeFilter } from './scope.js';
import { wireRowJson, type RowFormat } from './wire-json.js';

/** A delta (`deltaFor`: the pulling device) flags the device's own rows, to pass over them. */
function tableBranch(plan: ScopePlan, table: TableName, deltaFor: string | null, format: RowFormat): PageBranch {
  const t = sql.identifier(table);
  const scoped = plan.scope !== null && isScoped(table);
  const from: Position = scoped ? plan.scopedFrom : plan.main;
  const base = after(table, from);
  // A re-scope scan sends the device's own rows too: it may have dropped them when it left that store.
  const skipsOwn = deltaFor !== null && !(plan.phase && scoped);
  const whole = {
    table: sql`${table}`,
    serves: table,
    alias: t,
    from: t,
    id: sql`${t}.id`,
    json: wireRowJson(table, format),
    mine: skipsOwn ? sql`coalesce(${t}.written_by = ${deltaFor}, false)` : sql`false`,
  };
  if (!scoped) return { ...whole, where: base, gone: sql`false`, removes: false };
  const mine = scopeFilter(table, [plan.scope!])!;
  const former = plan.phase?.oldStores.length ? scopeFilter(table, plan.phase.oldStores) : null;
  if (!former) return { ...whole, where: sql`${base} and ${mine}`, gone: sql`false`, removes: false };
  return {
    ...whole,
    where: sql`${base} and (${mine} or ${former})`,
    json: sql`case when ${mine} then ${wireRowJson(table, format)} else json_build_object('id', ${t}.id)::text end`,
    gone: sql`not (${mine})`,
    removes: true,
  };
}

function movesBranch(plan: ScopePlan, tables: TableName[]): PageBranch | null {
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
    serves: null,
    removes: true,
    alias: m,
    from: m,
    where: sql`${after('scope_moves', plan.main)}
      and ${m}.table_name in (${list(scoped)}) and ${m}.from_store in (${list(mine)})
      and ${m}.to_store is distinct from ${plan.scope}`,
    id: sql`${m}.record_id`,
    json: sql`json_build_object('id', ${m}.record_id)::text`,
    gone: sql`true`,
    mine: sql`false`,
  };
}

/** `format`: each served row's JSON as an object or as an array of its values (wire-json.ts). */
export function scopedBranches(
  plan: ScopePlan,
  tables: TableName[],
  deltaFor: string | null,
  format: RowFormat = 'objects',
): PageBranch[] {
  const branches = tables.map((table) => tableBranch(plan, table, deltaFor, format));
  const moves = movesBranch(plan, tables);
  return moves ? [...branches, moves] : branches;
}
