// Context menus on rows (issue 11), the Mac way: right-click, Ctrl-click (the browser turns it
// into a `contextmenu` event on macOS) or the keyboard's menu key / Shift+F10 on a focused row
// opens a React Aria Menu at the pointer, with the same actions the screen offers elsewhere
// (Open, Export, Delete…). One menu per screen: `useContextMenu()` gives the `open` to call from a
// row's onContextMenu and the element to render once. Esc closes it and gives focus back.
import { useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { Menu, MenuItem, Popover } from 'react-aria-components';

export interface RowAction {
  label: string;
  onAction: () => void;
  /** Destructive (drawn in the danger colour); it should still ask before acting. */
  danger?: boolean;
  disabled?: boolean;
}

interface OpenMenu {
  /** The menu's accessible name, e.g. "Actions for Opening audit". */
  label: string;
  actions: RowAction[];
  x: number;
  y: number;
}

export const useContextMenu = (): {
  open: (event: MouseEvent, label: string, actions: RowAction[]) => void;
  menu: ReactNode;
} => {
  const [shown, setShown] = useState<OpenMenu | null>(null);
  // A zero-size anchor at the pointer: the popover places itself against it, as a native menu does.
  const anchor = useRef<HTMLSpanElement>(null);
  const open = (event: MouseEvent, label: string, actions: RowAction[]) => {
    event.preventDefault();
    // From the keyboard the event has no pointer position: open at the row's corner instead.
    const row = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const fromKeyboard = event.clientX === 0 && event.clientY === 0;
    setShown({
      label,
      actions,
      x: fromKeyboard ? row.left + 16 : event.clientX,
      y: fromKeyboard ? row.top + row.height : event.clientY,
    });
  };
  const menu = (
    <>
      <span
        ref={anchor}
        aria-hidden="true"
        style={{ position: 'fixed', left: shown?.x ?? 0, top: shown?.y ?? 0, width: 0, height: 0 }}
      />
      <Popover
        triggerRef={anchor}
        isOpen={shown !== null}
        onOpenChange={(isOpen) => !isOpen && setShown(null)}
        placement="bottom start"
        offset={2}
        className="popover context-menu"
      >
        <Menu
          aria-label={shown?.label ?? 'Actions'}
          autoFocus="first"
          onAction={(key) => {
            const action = shown?.actions[Number(key)];
            setShown(null);
            action?.onAction();
          }}
          disabledKeys={(shown?.actions ?? []).flatMap((action, index) => (action.disabled ? [String(index)] : []))}
        >
          {(shown?.actions ?? []).map((action, index) => (
            <MenuItem
              key={action.label}
              id={String(index)}
              className={`context-menu__item${action.danger ? ' context-menu__item--danger' : ''}`}
            >
              {action.label}
            </MenuItem>
          ))}
        </Menu>
      </Popover>
    </>
  );
  return { open, menu };
};
