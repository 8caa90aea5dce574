// Changes the server refused for good (invariant 10): they no longer block the queue, and the
// manager sees each one with the server's reason and may discard it (the server's version then
// comes back on the next pull).
import { useQuery } from '@tanstack/react-query';
import { useInsight } from '../../api/context.js';
import { useDiscardChange } from '../../api/mutations.js';
import { pendingChangesQuery } from '../../api/queries.js';

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
              {change.operation} {change.table.replaceAll('_', ' ')} <code>{change.record_id.slice(0, 8)}</code>
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
