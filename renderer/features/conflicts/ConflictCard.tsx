// One recorded conflict, in the manager's words: titled by what the record is (form title and
// store, metric, member), one sentence saying what happened, both versions side by side under
// field labels with the differing ones highlighted, the ids under "Details", a link to the
// record, and the manager's two choices (invariant 7: a loser is never silently dropped;
// applying it is a new edit that the engine syncs).
import { useId } from 'react';
import type { ConflictView } from '../../../shared/ipc.js';
import { useResolveConflict } from '../../api/mutations.js';
import { FieldConflicts } from './FieldConflicts.js';
import {
  conflictSentence,
  conflictTitle,
  editTimesSentence,
  fieldLabel,
  fieldsOf,
  idsOf,
  outcomeLabel,
  recordHref,
  ruleLabel,
  serverWriter,
  showFieldValue,
  statusLabel,
  tableLabel,
} from './describe-conflict.js';

const noTitles: ReadonlyMap<string, string> = new Map();

export const ConflictCard = ({
  conflict,
  formTitles = noTitles,
}: {
  conflict: ConflictView;
  formTitles?: ReadonlyMap<string, string>;
}) => {
  const headingId = useId();
  const resolve = useResolveConflict();
  const differing = new Set(conflict.differing_fields);
  const keptClient = conflict.resolution === 'client_wins';
  const href = recordHref(conflict);

  return (
    <article className="conflict-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{conflictTitle(conflict, formTitles)}</h2>
      <p className="conflict-card__sentence">{conflictSentence(conflict)}</p>
      {editTimesSentence(conflict) && <p className="conflict-card__times muted">{editTimesSentence(conflict)}</p>}
      {href && (
        <p>
          <a href={href}>
            Open the {conflict.table === 'kpi_data' ? 'KPIs' : conflict.table === 'team' ? 'team' : 'record'}
          </a>
        </p>
      )}
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

      {conflict.fields ? (
        <FieldConflicts conflict={conflict} fields={conflict.fields} />
      ) : (
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
                    {fieldLabel(field)}
                    {differs && <span className="badge">differs</span>}
                  </th>
                  <td>{showFieldValue(field, conflict.client_data[field])}</td>
                  <td>{showFieldValue(field, conflict.server_data[field])}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <details className="conflict-card__details">
        <summary>Details</summary>
        <dl className="facts">
          <dt>Kind of record</dt>
          <dd>{tableLabel(conflict.table)}</dd>
          <dt>Record id</dt>
          <dd>
            <code>{conflict.record_id}</code>
          </dd>
          {idsOf(conflict)
            .filter(([label]) => label !== 'Record')
            .map(([label, id]) => (
              <div key={label} className="contents">
                <dt>{label} id</dt>
                <dd>
                  <code>{id}</code>
                </dd>
              </div>
            ))}
        </dl>
      </details>

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
            {conflict.fields ? 'Apply every other value' : 'Apply the other version'}
          </button>
          <span className="muted">
            {conflict.fields
              ? 'Only the fields above were changed on both sides; everything else of both edits was kept.'
              : keptClient
                ? 'The other version is the server’s.'
                : 'The other version is this Mac’s.'}
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
