// A list whose items are dragged into a new order (React Aria's GridList with useDragAndDrop):
// by mouse with the grip, or by keyboard (focus the grip, Enter to pick up, arrows to choose the
// place, Enter to drop) as React Aria provides. The form editor's Move up / Move down buttons
// stay beside it as the plain fallback. The new order is handed back as a list of keys.
import { GripVertical } from 'lucide-react';
import { Button, GridList, GridListItem, useDragAndDrop, type DropTarget, type Key } from 'react-aria-components';

export interface ReorderItem {
  key: string;
  label: string;
}

/** The order after moving `moved` before or after `target` (moved items keep their relative order). */
export const moveKeys = (order: readonly string[], moved: ReadonlySet<Key>, target: DropTarget): string[] => {
  if (target.type !== 'item' || target.dropPosition === 'on' || moved.has(target.key)) return [...order];
  const movedKeys = order.filter((key) => moved.has(key));
  const rest = order.filter((key) => !moved.has(key));
  const at = rest.indexOf(String(target.key)) + (target.dropPosition === 'after' ? 1 : 0);
  return [...rest.slice(0, at), ...movedKeys, ...rest.slice(at)];
};

interface Props {
  /** The list's accessible name, e.g. "Order of sections". */
  label: string;
  items: readonly ReorderItem[];
  onReorder: (keys: string[]) => void;
}

export const ReorderList = ({ label, items, onReorder }: Props) => {
  const { dragAndDropHooks } = useDragAndDrop({
    getItems: (keys) => [...keys].map((key) => ({ 'text/plain': items.find((i) => i.key === key)?.label ?? '' })),
    onReorder: (event) =>
      onReorder(
        moveKeys(
          items.map((item) => item.key),
          event.keys,
          event.target,
        ),
      ),
  });
  return (
    <GridList aria-label={label} items={items} dragAndDropHooks={dragAndDropHooks} className="reorder-list">
      {(item) => (
        <GridListItem id={item.key} textValue={item.label} className="reorder-list__item">
          <Button slot="drag" className="reorder-list__handle" aria-label={`Drag ${item.label}`}>
            <GripVertical size={14} aria-hidden="true" />
          </Button>
          {item.label}
        </GridListItem>
      )}
    </GridList>
  );
};
