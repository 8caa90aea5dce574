// The submissions list, virtualized: only the rows on screen exist in the DOM, and only the
// pages of `submissions:list` they fall in are fetched, so 100k submissions scroll smoothly
// without loading them all. Rows of a page not yet loaded show a placeholder. The headers sort
// (in SQL, by main) and each row has a context menu: Open, Export CSV, Delete….
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ChevronDown, ChevronUp } from 'lucide-react';
import { useRef, type MouseEvent } from 'react';
import type { IpcReply, submissionSortColumns } from '../../../shared/ipc.js';
import { useInsight } from '../../api/context.js';
import { submissionsPageQuery } from '../../api/queries.js';
import { hrefFor, navigate } from '../../app/routes.js';
import { useContextMenu } from '../../components/ContextMenu.js';
import { useToast } from '../../components/Toasts.js';
import { download, rowsCsv } from './export-csv.js';
import { useDeleteSubmissionFlow } from './use-delete-submission.js';
import { statusLabels, type ListFilter } from './SubmissionFilters.js';

type SubmissionSortColumn = (typeof submissionSortColumns)[number];

const pageSize = 200;
const rowHeight = 36;

/** The list's order: a column and its direction, or null for the default (newest change first). */
export type ListSort = { column: SubmissionSortColumn; direction: 'asc' | 'desc' } | null;

interface Props {
  filter: ListFilter;
  sort: ListSort;
  onSort: (sort: ListSort) => void;
  /** Given while filters are set, for the empty state's "Show all submissions". */
  onClearFilters?: () => void;
}

export const SubmissionList = ({ filter, sort, onSort, onClearFilters }: Props) => {
  const api = useInsight();
  const scroller = useRef<HTMLDivElement>(null);
  // Sorted in SQL by main: the pages of a sorted list are fetched like the others.
  const request = { ...filter, ...(sort ? { sort: sort.column, direction: sort.direction } : {}) };
  const firstPage = useQuery({
    ...submissionsPageQuery(api, { ...request, offset: 0, limit: pageSize }),
    placeholderData: keepPreviousData,
  });
  const total = firstPage.data?.total ?? 0;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const visible = virtualizer.getVirtualItems();
  // Page 0 is `firstPage` (it also gives the total); the others follow the visible rows.
  const pageNumbers = [...new Set(visible.map((item) => Math.floor(item.index / pageSize)))].filter((page) => page > 0);
  const pages = useQueries({
    queries: pageNumbers.map((page) => ({
      ...submissionsPageQuery(api, { ...request, offset: page * pageSize, limit: pageSize }),
      placeholderData: keepPreviousData,
    })),
  });
  const rowAt = (index: number) => {
    const page = Math.floor(index / pageSize);
    const result = page === 0 ? firstPage : pages[pageNumbers.indexOf(page)];
    return result?.data?.rows[index - page * pageSize];
  };

  const { open, menu } = useContextMenu();
  const deletion = useDeleteSubmissionFlow();
  const toast = useToast();
  const openMenu = (event: MouseEvent, row: Row) =>
    open(event, `Actions for ${row.form_title ?? 'this submission'}`, [
      { label: 'Open', onAction: () => navigate(hrefFor.submission(row.id)) },
      {
        label: 'Export CSV',
        onAction: () => {
          download(`submission-${row.id}.csv`, rowsCsv([row]));
          toast.show({ text: 'Submission exported.' });
        },
      },
      { label: 'Delete…', danger: true, onAction: () => deletion.ask(row.id) },
    ]);

  if (firstPage.isError) return <p role="alert">Could not load submissions: {firstPage.error.message}</p>;

  return (
    <div className="submission-list">
      {menu}
      {deletion.dialog}
      <p className="muted" aria-live="polite">
        {firstPage.isPending ? 'Loading submissions…' : `${total.toLocaleString()} submission${total === 1 ? '' : 's'}`}
      </p>
      {!firstPage.isPending && total === 0 && (
        <div className="empty-state">
          {onClearFilters ? (
            <>
              <p>No submissions match these filters.</p>
              <button type="button" className="button" onClick={onClearFilters}>
                Show all submissions
              </button>
            </>
          ) : (
            <>
              <p>There are no submissions yet.</p>
              <p className="muted">
                Stores’ submissions arrive here at each sync. Publish a form so stores can fill it in, or press Sync Now
                (⌘⇧S) in the sync menu at the top right to fetch the latest.
              </p>
            </>
          )}
        </div>
      )}
      <div role="table" aria-label="Submissions" aria-rowcount={total + 1} hidden={!firstPage.isPending && total === 0}>
        <div role="row" aria-rowindex={1} className="submission-row submission-row--head">
          {columns.map(([column, name]) => (
            <SortableHeader key={column} column={column} name={name} sort={sort} onSort={onSort} />
          ))}
        </div>
        <div ref={scroller} className="submission-list__scroller">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {visible.map((item) => (
              <SubmissionRow
                key={item.key}
                index={item.index}
                start={item.start}
                size={item.size}
                row={rowAt(item.index)}
                onMenu={openMenu}
              />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
};

type Row = IpcReply<'submissions:list'>['rows'][number];

const columns: [SubmissionSortColumn, string][] = [
  ['form', 'Form'],
  ['store', 'Store'],
  ['status', 'Status'],
  ['submitted_by', 'Submitted by'],
  ['updated_at', 'Last changed'],
];

/**
 * A column header that sorts the list by its column: first click ascending (the newest first for
 * "Last changed", the default order), a second click the other way. `aria-sort` tells a screen
 * reader which column orders the list.
 */
const SortableHeader = ({
  column,
  name,
  sort,
  onSort,
}: {
  column: SubmissionSortColumn;
  name: string;
  sort: ListSort;
  onSort: (sort: ListSort) => void;
}) => {
  const current = sort ?? { column: 'updated_at', direction: 'desc' };
  const active = current.column === column;
  const firstDirection = column === 'updated_at' ? 'desc' : 'asc';
  const Arrow = current.direction === 'asc' ? ChevronUp : ChevronDown;
  return (
    <span role="columnheader" aria-sort={active ? (current.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        className="sort-button"
        onClick={() => {
          const direction = active ? (current.direction === 'asc' ? 'desc' : 'asc') : firstDirection;
          // Newest change first is the list's own order: no sort to ask for.
          onSort(column === 'updated_at' && direction === 'desc' ? null : { column, direction });
        }}
      >
        {name}
        {active && <Arrow size={12} aria-hidden="true" />}
      </button>
    </span>
  );
};

const SubmissionRow = ({
  index,
  start,
  size,
  row,
  onMenu,
}: {
  index: number;
  start: number;
  size: number;
  row: Row | undefined;
  onMenu: (event: MouseEvent, row: Row) => void;
}) => (
  <div
    role="row"
    aria-rowindex={index + 2}
    className="submission-row"
    onContextMenu={row ? (event) => onMenu(event, row) : undefined}
    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: size, transform: `translateY(${start}px)` }}
  >
    {row ? (
      <>
        <span role="cell">
          <a href={hrefFor.submission(row.id)}>{row.form_title ?? 'Unknown form'}</a>
        </span>
        <span role="cell">{row.store_id ?? '—'}</span>
        <span role="cell">
          <span className={`badge badge--${row.status}`}>{statusLabels[row.status]}</span>
        </span>
        <span role="cell">{row.submitted_by ?? '—'}</span>
        <span role="cell">{new Date(row.updated_at).toLocaleString()}</span>
      </>
    ) : (
      <span role="cell" className="muted">
        Loading…
      </span>
    )}
  </div>
);
