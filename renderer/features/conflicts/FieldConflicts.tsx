// A field-level conflict (the server merged everything else of both edits): only the fields both
// sides changed, each with this Mac's value, the server's value and which one was kept, and a
// button per field to apply the other value alone (a new local edit the engine syncs). Once every
// field has its other value applied, the conflict counts as overridden.
import type { ConflictView } from '../../../shared/ipc.js';
import { useResolveConflict } from '../../api/mutations.js';
import { fieldLabel, showFieldValue } from './describe-conflict.js';

type FieldConflict = NonNullable<ConflictView['fields']>[number];

const keptSide = (field: FieldConflict) => (field.resolution === 'client_wins' ? 'This Mac’s' : 'The server’s');
const otherSide = (field: FieldConflict) => (field.resolution === 'client_wins' ? 'the server’s' : 'this Mac’s');

export const FieldConflicts = ({ conflict, fields }: { conflict: ConflictView; fields: FieldConflict[] }) => {
  const resolve = useResolveConflict();
  const open = conflict.status === 'open';
  return (
    <table className="conflict-versions conflict-fields">
      <caption className="visually-hidden">
        The fields both sides changed; every other change of both edits was kept
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">This Mac</th>
          <th scope="col">Server</th>
          <th scope="col">Outcome</th>
          {open && <th scope="col">Other value</th>}
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => (
          <tr key={field.field} className="differs" data-field={field.field}>
            <th scope="row">{fieldLabel(field.field)}</th>
            <td>{showFieldValue(field.field, field.client_value)}</td>
            <td>{showFieldValue(field.field, field.server_value)}</td>
            <td>{field.applied ? `Changed to ${otherSide(field)} value` : `${keptSide(field)} value kept`}</td>
            {open && (
              <td>
                {field.applied ? (
                  <span className="muted">Applied</span>
                ) : (
                  <button
                    type="button"
                    className="button"
                    disabled={resolve.isPending}
                    aria-label={`Apply ${otherSide(field)} ${fieldLabel(field.field)}`}
                    onClick={() => resolve.mutate({ id: conflict.id, action: 'apply_other', field: field.field })}
                  >
                    Apply {otherSide(field)} value
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
};
