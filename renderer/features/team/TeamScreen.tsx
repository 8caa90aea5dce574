// Team: who works where. Members are deactivated rather than deleted when they leave, so their
// past submissions still name them; delete is for mistakes.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInsight } from '../../api/context.js';
import { useDeleteTeamMember, useSaveTeamMember } from '../../api/mutations.js';
import { teamQuery } from '../../api/queries.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { TeamMemberForm } from './TeamMemberForm.js';

export const TeamScreen = () => {
  const api = useInsight();
  const team = useQuery(teamQuery(api));
  const save = useSaveTeamMember();
  const remove = useDeleteTeamMember();
  const [editingId, setEditingId] = useState<string | null>(null);
  const members = (team.data ?? []).filter((m) => !m.deleted_at);
  const editing = members.find((m) => m.id === editingId) ?? null;

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Team</h1>
      </header>
      <TeamMemberForm key={editingId ?? 'new'} member={editing} onDone={() => setEditingId(null)} />
      <QueryState query={team} loading="Loading the team…" failure="Could not load the team" />
      {team.data && members.length === 0 && <p>No team members yet.</p>}
      {members.length > 0 && (
        <DataTable label="Team" columns={['Name', 'Role', 'Store', 'Email', 'Status']} actions>
          {members.map((m) => (
            <tr key={m.id} className={m.active ? undefined : 'inactive'}>
              <th scope="row">{m.name}</th>
              <td>{m.role ?? '—'}</td>
              <td>{m.store_id ?? '—'}</td>
              <td>{m.email ?? '—'}</td>
              <td>{m.active ? 'Active' : 'Inactive'}</td>
              <td>
                <div className="actions actions--small">
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Edit ${m.name}`}
                    onClick={() => setEditingId(m.id)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`${m.active ? 'Deactivate' : 'Reactivate'} ${m.name}`}
                    disabled={save.isPending}
                    onClick={() =>
                      save.mutate({
                        id: m.id,
                        name: m.name,
                        role: m.role,
                        store_id: m.store_id,
                        email: m.email,
                        active: !m.active,
                      })
                    }
                  >
                    {m.active ? 'Deactivate' : 'Reactivate'}
                  </button>
                  <button
                    type="button"
                    className="button button--small button--danger"
                    aria-label={`Delete ${m.name}`}
                    disabled={remove.isPending}
                    onClick={() => remove.mutate({ id: m.id })}
                  >
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {(save.isError || remove.isError) && (
        <p role="alert">Could not change the team: {(save.error ?? remove.error)?.message}</p>
      )}
    </div>
  );
};
