import { describe, expect, it } from 'vitest';
import { PushRequest } from './protocol/sync.js';
import {
  deletedWithParent,
  columnsOf,
  inApplyOrder,
  rowSchemas,
  tableNames,
  tableRegistry,
  tablesReadableBy,
  type TableName,
  type TableSpec,
} from './tables.js';

const id = '3f1c2a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f';

describe('table registry', () => {
  it('lists every parent before its children, so pushes apply a submission before its answers', () => {
    for (const table of tableNames) {
      for (const [parent, column] of Object.entries(tableRegistry[table].parents)) {
        expect(tableNames.indexOf(parent as TableName), `${parent} before ${table}`).toBeLessThan(
          tableNames.indexOf(table),
        );
        expect(columnsOf(table), `${table} points at ${parent} through a column it has`).toContain(column);
      }
    }
    expect(inApplyOrder(['submission_answers', 'submissions', 'forms'])).toEqual([
      'forms',
      'submissions',
      'submission_answers',
    ]);
  });

  it('knows which rows go with a deleted parent: answers with their submission, sections and fields with their form', () => {
    expect(deletedWithParent('submissions')).toEqual([{ table: 'submission_answers', column: 'submission_id' }]);
    expect(deletedWithParent('forms')).toEqual([
      { table: 'form_sections', column: 'form_id' },
      { table: 'fields', column: 'form_id' },
    ]);
    for (const table of tableNames) {
      const spec: TableSpec = tableRegistry[table];
      for (const parent of spec.deletedWith ?? []) expect(Object.keys(spec.parents)).toContain(parent);
    }
  });

  it('gives store devices only the tables the seed says they need', () => {
    expect(tablesReadableBy('store')).toEqual([
      'forms',
      'form_sections',
      'fields',
      'submissions',
      'submission_answers',
      'team',
      'kpi_data',
      'stores',
    ]);
    expect(tablesReadableBy('manager')).toEqual(tableNames);
  });

  it('fills in optional columns with their defaults and normalises timestamps', () => {
    const row = rowSchemas.forms.parse({ id, title: 'Opening checklist', updated_at: '2025-12-18T10:45:00Z' });
    expect(row).toEqual({
      id,
      title: 'Opening checklist',
      updated_at: '2025-12-18T10:45:00.000Z',
      deleted_at: null,
      description: null,
      status: 'draft',
    });
  });

  it('rejects unknown columns and names them', () => {
    const result = rowSchemas.forms.safeParse({ id, title: 'x', updated_at: '2025-12-18T10:45:00Z', colour: 'red' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('colour');
  });

  it('rejects a push naming an unknown table, and says which', () => {
    const result = PushRequest.safeParse({
      device_id: 'd1',
      timestamp: '2025-12-18T11:00:00Z',
      changes: { 'forms; DROP TABLE forms': [] },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('unknown table "forms; DROP TABLE forms"');
  });
});
