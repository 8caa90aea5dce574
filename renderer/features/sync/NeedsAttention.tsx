// Changes the server refused for good (invariant 10): they no longer block the queue, and the
// manager sees each one with the server's reason and may discard it (the server's version then
// comes back on the next pull).
import { useQuery } from '@tanstack/react-query';
import { useInsight } from '../../api/context.js';
import { useDiscardChange } from '../../api/mutations.js';
import { pendingChangesQuery } from '../../api/queries.js';

/**
 * The end of a record's id, to tell refused changes apart at a glance (the whole id is its title).
 * Not the start: the app's ids are UUIDv7, whose first characters are the time they were made, the
 * same for every record made within a minute or so; the last ones are random.
 */
const shortRecordId = (id: string): string => id.slice(-8);

export const NeedsAttention = ({ count }: { count: number }) => {
  const api = useInsight();
  const pending = useQuery(pendingChangesQuery(api));
  const discard = useDiscardChange();
  const refused = (pending.data ?? []).filter((change) => change.needs_attention);

  return (
    <div className="needs-attention">
      <h3>Needs attention: {count}</h3>
      {pending.isError && <p className="form-error">Could not load the refused changes: {pending.error.message}</p>}
      <ul aria-label="Changes that need attention">
        {refused.map((change) => (
          <li key={change.id}>
            <p>
              {change.operation} {change.table.replaceAll('_', ' ')}{' '}
              <code title={change.record_id}>…{shortRecordId(change.record_id)}</code>
            </p>
            <p className="needs-attention__reason">Reason: {change.last_error ?? 'refused by the server'}</p>
            <button
              type="button"
              className="button button--small"
              aria-label={`Discard change to ${change.table} ${change.record_id}`}
              onClick={() => discard.mutate({ id: change.id })}
              disabled={discard.isPending}
            >
              Discard
            </button>
          </li>
        ))}
      </ul>
      {discard.isError && <p className="form-error">Could not discard: {discard.error.message}</p>}
    </div>
  );
};
