// One recorded conflict: both versions side by side with the differing fields highlighted, the
// rule that decided it and its outcome, and the manager's two choices (invariant 7: a loser is
// never silently dropped; applying it is a new edit that the engine syncs).
import { useId } from 'react';
import type { ConflictView } from '../../../shared/ipc.js';
import { useResolveConflict } from '../../api/mutations.js';
import { fieldsOf, outcomeLabel, ruleLabel, serverWriter, showValue, statusLabel, tableLabel } from './describe-conflict.js';

export const ConflictCard = ({ conflict }: { conflict: ConflictView }) => {
  const headingId = useId();
  const resolve = useResolveConflict();
  const differing = new Set(conflict.differing_fields);
  const keptClient = conflict.resolution === 'client_wins';

  return (
    <article className="conflict-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {tableLabel(conflict.table)} <code>{conflict.record_id}</code>
      </h2>
      <dl className="facts">
        <dt>Rule</dt>
        <dd>{ruleLabel[conflict.rule]}</dd>
        <dt>Outcome</dt>
        <dd>{outcomeLabel(conflict)}</dd>
        {serverWriter(conflict) && (
          <>
            <dt>Server version from</dt>
            <dd>{serverWriter(conflict)}</dd>
          </>
        )}
        <dt>Decided</dt>
        <dd>{new Date(conflict.decided_at).toLocaleString()}</dd>
        <dt>Status</dt>
        <dd>{statusLabel[conflict.status]}</dd>
      </dl>

      <table className="conflict-versions">
        <caption className="visually-hidden">Both versions of this record; differing fields are highlighted</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">This Mac{keptClient ? ' (kept)' : ''}</th>
            <th scope="col">Server{keptClient ? '' : ' (kept)'}</th>
          </tr>
        </thead>
        <tbody>
          {fieldsOf(conflict).map((field) => {
            const differs = differing.has(field);
            return (
              <tr key={field} className={differs ? 'differs' : undefined} data-differs={differs || undefined}>
                <th scope="row">
                  {field}
                  {differs && <span className="badge">differs</span>}
                </th>
                <td>{showValue(conflict.client_data[field])}</td>
                <td>{showValue(conflict.server_data[field])}</td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {conflict.status === 'open' && (
        <div className="actions">
          <button
            type="button"
            className="button button--primary"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate({ id: conflict.id, action: 'accept' })}
          >
            Accept
          </button>
          <button
            type="button"
            className="button"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate({ id: conflict.id, action: 'apply_other' })}
          >
            Apply the other version
          </button>
          <span className="muted">
            {keptClient ? 'The other version is the server’s.' : 'The other version is this Mac’s.'}
          </span>
        </div>
      )}
      {resolve.isError && (
        <p role="alert" className="form-error">
          Could not resolve this conflict: {resolve.error.message}
        </p>
      )}
    </article>
  );
};
