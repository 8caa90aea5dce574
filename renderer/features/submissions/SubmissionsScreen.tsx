// Submissions: search, filters, the virtualized list sorted by any column, and completion counts
// per form and store of what the filters show (a store's count opens its list). Filters, search
// and sort outlive the screen for the session, so coming back from a submission's detail shows
// the same list; "Export CSV" saves every row the filters match.
import { Download } from 'lucide-react';
import { useDeferredValue, useState } from 'react';
import { useInsight } from '../../api/context.js';
import { CompletionCounts } from './CompletionCounts.js';
import { download, submissionsCsv } from './export-csv.js';
import { noFilters, SubmissionFilters, toFilter, type FilterValues } from './SubmissionFilters.js';
import { SubmissionList, type ListSort } from './SubmissionList.js';
import { SubmissionSearch } from './SubmissionSearch.js';

/** The filters and order last used, kept while the app runs (the screen itself is remounted per visit). */
let lastFilters = noFilters;
let lastSort: ListSort = null;

export const SubmissionsScreen = () => {
  const api = useInsight();
  const [filters, setFiltersState] = useState(() => lastFilters);
  const [sort, setSortState] = useState(() => lastSort);
  const setFilters = (next: FilterValues) => {
    lastFilters = next;
    setFiltersState(next);
  };
  const setSort = (next: ListSort) => {
    lastSort = next;
    setSortState(next);
  };
  // Typing a store name or a search should not refetch on every keystroke ahead of the screen.
  const deferred = useDeferredValue(filters);
  const filtered = Object.values(filters).some((value) => value.trim() !== '');
  const [exporting, setExporting] = useState<string>('idle'); /* 'idle', 'busy' or the last export's message */
  const exportCsv = async () => {
    setExporting('busy');
    try {
      download(
        `submissions-${new Date().toISOString().slice(0, 10)}.csv`,
        await submissionsCsv(api, toFilter(filters)),
      );
      setExporting('idle');
    } catch (error) {
      setExporting(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Submissions</h1>
        <span className="spacer" />
        <SubmissionSearch value={filters.search} onChange={(search) => setFilters({ ...filters, search })} />
        <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting === 'busy'}>
          <Download size={14} aria-hidden="true" />
          Export CSV
        </button>
      </header>
      {exporting !== 'idle' && exporting !== 'busy' && <p role="alert">Could not export: {exporting}</p>}
      <SubmissionFilters values={filters} onChange={setFilters} />
      <SubmissionList
        filter={toFilter(deferred)}
        sort={sort}
        onSort={setSort}
        onClearFilters={filtered ? () => setFilters(noFilters) : undefined}
      />
      <CompletionCounts
        scope={toFilter(deferred)}
        filtered={filtered}
        onDrillDown={(formId, storeId) => {
          setFilters({ ...filters, formId, storeId });
          // The list is above the counts: bring it into view, as a link to it would.
          document.querySelector('.submission-list')?.scrollIntoView?.({ block: 'start' });
        }}
      />
    </div>
  );
};
