// The confirmation every destructive action that syncs to other devices asks for (issue 11): a
// modal alert dialog (React Aria: focus trapped inside, Esc cancels) whose confirm button has the
// focus, so Enter confirms. It says what happens beyond this Mac, in the manager's words.
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

interface Props {
  isOpen: boolean;
  title: string;
  /** What the action does, including on other devices. */
  message: string;
  confirmLabel: string;
  /** "Cancel" unless said otherwise ("Stay"). */
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export const ConfirmDialog = ({
  isOpen,
  title,
  message,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  onCancel,
}: Props) => (
  <ModalOverlay isOpen={isOpen} onOpenChange={(open) => !open && onCancel()} isDismissable className="modal-overlay">
    <Modal className="modal">
      <Dialog role="alertdialog" className="outline-none">
        <Heading slot="title">{title}</Heading>
        <p>{message}</p>
        <div className="actions">
          <Button className="button" onPress={onCancel}>
            {cancelLabel}
          </Button>
          <Button className="button button--primary button--danger" onPress={onConfirm} autoFocus>
            {confirmLabel}
          </Button>
        </div>
      </Dialog>
    </Modal>
  </ModalOverlay>
);
