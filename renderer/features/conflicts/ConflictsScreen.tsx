// The conflict panel: every conflict the server decided against one side, newest first.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInsight } from '../../api/context.js';
import { conflictsQuery, formsListQuery } from '../../api/queries.js';
import { QueryState } from '../../components/QueryState.js';
import { ConflictCard } from './ConflictCard.js';

export const ConflictsScreen = () => {
  const api = useInsight();
  const [includeClosed, setIncludeClosed] = useState(false);
  const conflicts = useQuery(conflictsQuery(api, includeClosed));
  // Submissions are titled by their form (the record itself only holds the form's id).
  const forms = useQuery(formsListQuery(api));
  const formTitles = new Map((forms.data ?? []).map((form) => [form.id, form.title]));

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Conflicts</h1>
        <label className="inline">
          <input type="checkbox" checked={includeClosed} onChange={(e) => setIncludeClosed(e.target.checked)} />
          Show resolved conflicts
        </label>
      </header>
      <QueryState query={conflicts} loading="Loading conflicts…" failure="Could not load conflicts" />
      {conflicts.data?.length === 0 && <p>No conflicts. Every change was applied as made.</p>}
      {conflicts.data?.map((conflict) => (
        <ConflictCard key={conflict.id} conflict={conflict} formTitles={formTitles} />
      ))}
    </div>
  );
};
