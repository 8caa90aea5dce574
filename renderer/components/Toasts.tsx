// Short notes at the bottom of the window after an action, with an Undo where one is possible
// (a delete), the way Mail and Finder offer it. A toast leaves by itself after a few seconds;
// Undo runs the undo once and closes it. One provider for the app (App.tsx); screens call
// useToast().show(...).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface ToastInput {
  text: string;
  /** Shown as an "Undo" button. */
  undo?: () => void;
}
interface Toast extends ToastInput {
  id: number;
}

const ToastContext = createContext<{ show: (toast: ToastInput) => void }>({ show: () => {} });

export const useToast = () => useContext(ToastContext);

/** How long a toast stays: long enough to reach Undo. */
export const TOAST_MS = 8000;

export const ToastProvider = ({ children }: { children: ReactNode }) => {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback((toast: ToastInput) => {
    const id = nextId.current++;
    setToasts((list) => [...list.slice(-2), { ...toast, id }]);
  }, []);
  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onClose={() => dismiss(toast.id)} />
        ))}
      </div>
    </ToastContext.Provider>
  );
};

const ToastItem = ({ toast, onClose }: { toast: Toast; onClose: () => void }) => {
  useEffect(() => {
    const timer = setTimeout(onClose, TOAST_MS);
    return () => clearTimeout(timer);
  }, [onClose]);
  return (
    <div className="toast" role="status">
      <span className="toast__text">{toast.text}</span>
      {toast.undo && (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            onClose();
            toast.undo?.();
          }}
        >
          Undo
        </button>
      )}
      <button type="button" className="button button--small" aria-label="Dismiss" onClick={onClose}>
        ×
      </button>
    </div>
  );
};
