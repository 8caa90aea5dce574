// Deleting a submission, wherever it is asked for (the detail's button, a list row's context
// menu): confirmed first, since the tombstone reaches every device at the next sync, then a toast
// offers Undo (a restore: a new edit that syncs the same way). A store's concurrent edit meets the
// delete in the conflict panel (latest edit wins), where the manager can bring it back.
import { useState } from 'react';
import { useDeleteSubmission, useRestoreSubmission } from '../../api/mutations.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { useToast } from '../../components/Toasts.js';

export const useDeleteSubmissionFlow = ({ onDeleted }: { onDeleted?: () => void } = {}) => {
  const remove = useDeleteSubmission();
  const restore = useRestoreSubmission();
  const toast = useToast();
  const [asking, setAsking] = useState<string | null>(null);
  const deleteNow = (id: string) => {
    setAsking(null);
    remove.mutate(
      { id },
      {
        onSuccess: () => {
          onDeleted?.();
          toast.show({ text: 'Submission deleted.', undo: () => restore.mutate({ id }) });
        },
      },
    );
  };
  const dialog = (
    <>
      <ConfirmDialog
        isOpen={asking !== null}
        title="Delete this submission?"
        message="It is removed from this Mac and, at the next sync, from the server and every store device. You can undo right after."
        confirmLabel="Delete"
        onConfirm={() => asking && deleteNow(asking)}
        onCancel={() => setAsking(null)}
      />
      {remove.isError && <p role="alert">Could not delete the submission: {remove.error.message}</p>}
    </>
  );
  return { ask: (id: string) => setAsking(id), isPending: remove.isPending, dialog };
};
