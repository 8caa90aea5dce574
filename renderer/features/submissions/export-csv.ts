// "Export CSV" of what the Submissions screen shows: every row that matches the current filters
// (not only the rows on screen), fetched in pages of 1,000, in the list's order and columns.
import type { InsightApi, IpcReply } from '../../../shared/ipc.js';
import { call } from '../../api/bridge.js';
import { statusLabels, type ListFilter } from './SubmissionFilters.js';

const exportPageSize = 1000;

/** RFC 4180: quote a cell that holds a comma, quote or line break; double inner quotes. */
const csvCell = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

const header = ['Form', 'Store', 'Status', 'Submitted by', 'Last changed', 'Completed', 'Id'].join(',');
type ListRow = IpcReply<'submissions:list'>['rows'][number];

const csvLine = (row: ListRow): string =>
  [
    row.form_title ?? '',
    row.store_id ?? '',
    statusLabels[row.status],
    row.submitted_by ?? '',
    row.updated_at,
    row.completed_at ?? '',
    row.id,
  ]
    .map(csvCell)
    .join(',');

/** Rows already on screen (a row's context menu "Export"), with the same columns. */
export const rowsCsv = (rows: readonly ListRow[]): string => `${[header, ...rows.map(csvLine)].join('\r\n')}\r\n`;

export async function submissionsCsv(api: InsightApi, filter: ListFilter): Promise<string> {
  const rows: ListRow[] = [];
  for (let offset = 0; ; offset += exportPageSize) {
    const page = await call(api, 'submissions:list', { ...filter, offset, limit: exportPageSize });
    rows.push(...page.rows);
    if (page.rows.length < exportPageSize || offset + exportPageSize >= page.total) break;
  }
  return rowsCsv(rows);
}

/** Hands the text to the browser (or Electron) as a download. */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
