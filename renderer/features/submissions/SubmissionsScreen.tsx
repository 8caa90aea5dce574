// Submissions: filters, the virtualized list, and completion counts per form and store.
import { useDeferredValue, useState } from 'react';
import { CompletionCounts } from './CompletionCounts.js';
import { noFilters, SubmissionFilters, toFilter } from './SubmissionFilters.js';
import { SubmissionList } from './SubmissionList.js';

export const SubmissionsScreen = () => {
  const [filters, setFilters] = useState(noFilters);
  // Typing a store name should not refetch on every keystroke ahead of the screen.
  const deferred = useDeferredValue(filters);

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Submissions</h1>
      </header>
      <SubmissionFilters values={filters} onChange={setFilters} />
      <SubmissionList filter={toFilter(deferred)} />
      <CompletionCounts />
    </div>
  );
};
