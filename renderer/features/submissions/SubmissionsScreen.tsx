// Submissions: filters, the virtualized list, and completion counts per form and store. The
// filters outlive the screen for the session, so coming back from a submission's detail shows
// the same list; "Export CSV" saves every row the filters match.
import { Download } from 'lucide-react';
import { useDeferredValue, useState } from 'react';
import { useInsight } from '../../api/context.js';
import { CompletionCounts } from './CompletionCounts.js';
import { download, submissionsCsv } from './export-csv.js';
import { noFilters, SubmissionFilters, toFilter } from './SubmissionFilters.js';
import { SubmissionList } from './SubmissionList.js';

/** The filters last used, kept while the app runs (the screen itself is remounted per visit). */
let lastFilters = noFilters;

export const SubmissionsScreen = () => {
  const api = useInsight();
  const [filters, setFiltersState] = useState(() => lastFilters);
  const setFilters = (next: typeof filters) => {
    lastFilters = next;
    setFiltersState(next);
  };
  // Typing a store name should not refetch on every keystroke ahead of the screen.
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
        <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting === 'busy'}>
          <Download size={14} aria-hidden="true" />
          Export CSV
        </button>
      </header>
      {exporting !== 'idle' && exporting !== 'busy' && <p role="alert">Could not export: {exporting}</p>}
      <SubmissionFilters values={filters} onChange={setFilters} />
      <SubmissionList filter={toFilter(deferred)} onClearFilters={filtered ? () => setFilters(noFilters) : undefined} />
      <CompletionCounts />
    </div>
  );
};
