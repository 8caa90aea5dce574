// Moving a store device (a phone in a shop) to another store, as a manager (issue 13): a modal
// dialog with the StorePicker and a sentence saying what happens, in the manager's words: the
// phone takes the new store's rows on its next sync and drops the old store's, and nothing is
// deleted on the server. The move happens on the server at once (devices:scope); the server's
// refusal stays in the dialog, as said. Its own component so the Stores screen can offer it too.
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useState } from 'react';
import { useMoveDevice } from '../../api/mutations.js';
import { StorePicker } from '../../components/StorePicker.js';
import { useToast } from '../../components/Toasts.js';

export interface MovableDevice {
  device_id: string;
  /** The store it belongs to now; null for a store device enrolled before stores were scopes. */
  store_id: string | null;
}

interface Props {
  /** The device to move; null: the dialog is closed. */
  device: MovableDevice | null;
  onClose: () => void;
}

/** What the move does, for the store chosen (or what to do when none is). */
export const moveConsequence = (device: MovableDevice, to: string | null): string => {
  if (to === null) return `Choose the store ${device.device_id} works for from now on.`;
  if (to === device.store_id) return `${device.device_id} already belongs to ${to}.`;
  const old = device.store_id === null ? "every other store's" : `${device.store_id}'s`;
  return `The phone will receive ${to}'s submissions, KPIs and team on its next sync and remove ${old} from itself; nothing is deleted on the server.`;
};

export const MoveDeviceDialog = ({ device, onClose }: Props) => (
  <ModalOverlay
    isOpen={device !== null}
    onOpenChange={(open) => !open && onClose()}
    isDismissable
    className="modal-overlay"
  >
    <Modal className="modal">
      {/* Keyed by device: each opening starts with no store chosen and no old error. */}
      {device && <MoveDeviceForm key={device.device_id} device={device} onClose={onClose} />}
    </Modal>
  </ModalOverlay>
);

const MoveDeviceForm = ({ device, onClose }: { device: MovableDevice; onClose: () => void }) => {
  const move = useMoveDevice();
  const toast = useToast();
  const [store, setStore] = useState<string | null>(null);
  const id = device.device_id;
  const canMove = store !== null && store !== device.store_id && !move.isPending;

  const submit = () => {
    if (!canMove) return;
    move.mutate(
      { device_id: id, store },
      {
        onSuccess: (answer) => {
          toast.show({
            text: answer.moved
              ? `${id} moved to ${answer.store}: it takes ${answer.store}'s rows on its next sync.`
              : `${id} already belonged to ${answer.store}.`,
          });
          onClose();
        },
      },
    );
  };

  return (
    <Dialog className="outline-none">
      <Heading slot="title">Move {id} to another store</Heading>
      <p className="muted">Now in {device.store_id ?? 'no store (it receives every store’s rows)'}.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <StorePicker label="New store" value={store} onChange={setStore} emptyLabel="Choose a store" />
        <p role="status">{moveConsequence(device, store)}</p>
        {move.isError && (
          <p role="alert">
            Could not move {id}: {move.error.message}
          </p>
        )}
        <div className="actions">
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
          <Button type="submit" className="button button--primary" isDisabled={!canMove}>
            {move.isPending ? 'Moving…' : 'Move'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
};
