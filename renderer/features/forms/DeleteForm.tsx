// Deleting a form from its editor. The confirmation is a step in the page (the button turns into
// "Confirm delete" / "Cancel") rather than window.confirm, which Playwright and some hosts dismiss.
import { useEffect, useRef, useState } from 'react';
import { useDeleteForm } from '../../api/mutations.js';
import { hrefFor, navigate } from '../../app/routes.js';

export const DeleteForm = ({ id, title }: { id: string; title: string }) => {
  const deleteForm = useDeleteForm();
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  // Keyboard users land on the safe choice when asked, and back on "Delete form" after Cancel.
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (wasConfirming.current) startRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  if (!confirming) {
    return (
      <button ref={startRef} type="button" className="button button--danger" onClick={() => setConfirming(true)}>
        Delete form
      </button>
    );
  }
  return (
    <div className="delete-form" role="group" aria-label="Delete this form?">
      <p>Delete “{title}”? Stores stop receiving it after the next sync.</p>
      <button
        type="button"
        className="button button--danger"
        disabled={deleteForm.isPending}
        onClick={() => deleteForm.mutate({ id }, { onSuccess: () => navigate(hrefFor.forms) })}
      >
        Confirm delete
      </button>
      <button
        ref={cancelRef}
        type="button"
        className="button"
        disabled={deleteForm.isPending}
        onClick={() => {
          deleteForm.reset();
          setConfirming(false);
        }}
      >
        Cancel
      </button>
      {deleteForm.isError && <p role="alert">Could not delete the form: {deleteForm.error.message}</p>}
    </div>
  );
};
