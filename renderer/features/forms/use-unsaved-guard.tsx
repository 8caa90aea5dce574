// A warning before leaving the form editor with unsaved changes (issue 11). While `dirty`:
// closing or reloading the window asks the browser's own question (beforeunload), and following
// an in-app link (the sidebar, "← All forms") opens a dialog first: "Leave" goes on, "Stay"
// keeps the edits. Not window.confirm: some hosts dismiss it by themselves.
import { useEffect, useState } from 'react';
import { navigate } from '../../app/routes.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';

export const useUnsavedGuard = (dirty: boolean) => {
  const [leavingTo, setLeavingTo] = useState<string | null>(null);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
      if (!link || event.defaultPrevented || event.metaKey || event.ctrlKey) return;
      const href = link.getAttribute('href')!;
      if (href === window.location.hash) return;
      event.preventDefault();
      setLeavingTo(href);
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty]);

  const dialog = (
    <ConfirmDialog
      isOpen={leavingTo !== null}
      title="Leave without saving?"
      message="This form has changes that are not saved. They are lost if you leave now."
      confirmLabel="Leave"
      cancelLabel="Stay"
      onConfirm={() => {
        const to = leavingTo;
        setLeavingTo(null);
        if (to) navigate(to);
      }}
      onCancel={() => setLeavingTo(null)}
    />
  );
  return dialog;
};
