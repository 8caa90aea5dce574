// Team: who works where. Members are deactivated rather than deleted when they leave, so their
// past submissions still name them; delete is for mistakes, and asks first (it reaches every
// device). Each row has a context menu: Edit, Deactivate / Reactivate, Delete….
import { useQuery } from '@tanstack/react-query';
import type { IpcReply } from '../../../shared/ipc.js';
import { useState, type MouseEvent } from 'react';
import { useInsight } from '../../api/context.js';
import { useDeleteTeamMember, useSaveTeamMember } from '../../api/mutations.js';
import { teamQuery } from '../../api/queries.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { useContextMenu } from '../../components/ContextMenu.js';
import { useStoreLabel } from '../../components/StorePicker.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { useToast } from '../../components/Toasts.js';
import { TeamMemberForm } from './TeamMemberForm.js';

type Member = IpcReply<'team:list'>[number];

export const TeamScreen = () => {
  const api = useInsight();
  const team = useQuery(teamQuery(api));
  const save = useSaveTeamMember();
  const storeLabel = useStoreLabel();
  const remove = useDeleteTeamMember();
  const [editingId, setEditingId] = useState<string | null>(null);
  const members = (team.data ?? []).filter((m) => !m.deleted_at);
  const editing = members.find((m) => m.id === editingId) ?? null;
  const [deleting, setDeleting] = useState<Member | null>(null);
  const toast = useToast();
  const { open, menu } = useContextMenu();
  const setActive = (m: Member, active: boolean) =>
    save.mutate({ id: m.id, name: m.name, role: m.role, store_id: m.store_id, email: m.email, active });
  const openMenu = (event: MouseEvent, m: Member) =>
    open(event, `Actions for ${m.name}`, [
      { label: 'Edit', onAction: () => setEditingId(m.id) },
      { label: m.active ? 'Deactivate' : 'Reactivate', onAction: () => setActive(m, !m.active) },
      { label: 'Delete…', danger: true, onAction: () => setDeleting(m) },
    ]);

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Team</h1>
      </header>
      <TeamMemberForm key={editingId ?? 'new'} member={editing} onDone={() => setEditingId(null)} />
      <QueryState query={team} loading="Loading the team…" failure="Could not load the team" />
      {team.data && members.length === 0 && (
        <div className="empty-state">
          <p>No team members yet.</p>
          <p className="muted">
            Add the people who work in your stores with the form above: their name, role and store. Stores see the team
            at their next sync; deactivate someone who leaves, so their past submissions still name them.
          </p>
        </div>
      )}
      {members.length > 0 && (
        <DataTable label="Team" columns={['Name', 'Role', 'Store', 'Email', 'Status']} actions>
          {members.map((m) => (
            <tr key={m.id} className={m.active ? undefined : 'inactive'} onContextMenu={(event) => openMenu(event, m)}>
              <th scope="row">{m.name}</th>
              <td>{m.role ?? '—'}</td>
              <td>{storeLabel(m.store_id)}</td>
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
                    onClick={() => setActive(m, !m.active)}
                  >
                    {m.active ? 'Deactivate' : 'Reactivate'}
                  </button>
                  <button
                    type="button"
                    className="button button--small button--danger"
                    aria-label={`Delete ${m.name}`}
                    disabled={remove.isPending}
                    onClick={() => setDeleting(m)}
                  >
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {menu}
      <ConfirmDialog
        isOpen={deleting !== null}
        title="Delete this team member?"
        message={`${deleting?.name ?? ''} is removed from this Mac and, at the next sync, from the server and every store device. To keep their name on past submissions, deactivate them instead.`}
        confirmLabel="Delete"
        onConfirm={() => {
          const member = deleting!;
          setDeleting(null);
          remove.mutate({ id: member.id }, { onSuccess: () => toast.show({ text: `${member.name} deleted.` }) });
        }}
        onCancel={() => setDeleting(null)}
      />
      {(save.isError || remove.isError) && (
        <p role="alert">Could not change the team: {(save.error ?? remove.error)?.message}</p>
      )}
    </div>
  );
};
