// The submissions list, virtualized: only the rows on screen exist in the DOM, and only the
// pages of `submissions:list` they fall in are fetched, so 100k submissions scroll smoothly
// without loading them all. Rows of a page not yet loaded show a placeholder.
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { IpcReply } from '../../../shared/ipc.js';
import { useInsight } from '../../api/context.js';
import { submissionsPageQuery } from '../../api/queries.js';
import { hrefFor } from '../../app/routes.js';
import { statusLabels, type ListFilter } from './SubmissionFilters.js';

const pageSize = 200;
const rowHeight = 36;

/** `onClearFilters`: given while filters are set, for the empty state's "Clear filters". */
export const SubmissionList = ({ filter, onClearFilters }: { filter: ListFilter; onClearFilters?: () => void }) => {
  const api = useInsight();
  const scroller = useRef<HTMLDivElement>(null);
  const firstPage = useQuery({
    ...submissionsPageQuery(api, { ...filter, offset: 0, limit: pageSize }),
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
      ...submissionsPageQuery(api, { ...filter, offset: page * pageSize, limit: pageSize }),
      placeholderData: keepPreviousData,
    })),
  });
  const rowAt = (index: number) => {
    const page = Math.floor(index / pageSize);
    const result = page === 0 ? firstPage : pages[pageNumbers.indexOf(page)];
    return result?.data?.rows[index - page * pageSize];
  };

  if (firstPage.isError) return <p role="alert">Could not load submissions: {firstPage.error.message}</p>;

  return (
    <div className="submission-list">
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
          <span role="columnheader">Form</span>
          <span role="columnheader">Store</span>
          <span role="columnheader">Status</span>
          <span role="columnheader">Submitted by</span>
          <span role="columnheader">Last changed</span>
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
              />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
};

type Row = IpcReply<'submissions:list'>['rows'][number];

const SubmissionRow = ({
  index,
  start,
  size,
  row,
}: {
  index: number;
  start: number;
  size: number;
  row: Row | undefined;
}) => (
  <div
    role="row"
    aria-rowindex={index + 2}
    className="submission-row"
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
