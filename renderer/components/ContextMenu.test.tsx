// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useContextMenu } from './ContextMenu.js';

afterEach(cleanup);

const Rows = ({ onOpen, onDelete }: { onOpen: () => void; onDelete: () => void }) => {
  const { open, menu } = useContextMenu();
  return (
    <>
      <ul>
        <li
          tabIndex={0}
          onContextMenu={(event) =>
            open(event, 'Actions for Opening audit', [
              { label: 'Open', onAction: onOpen },
              { label: 'Export', onAction: () => {}, disabled: true },
              { label: 'Delete…', onAction: onDelete, danger: true },
            ])
          }
        >
          Opening audit
        </li>
      </ul>
      {menu}
    </>
  );
};

describe('a row’s context menu', () => {
  it('opens on right-click with the row’s actions, runs the chosen one once and closes', async () => {
    const onOpen = vi.fn();
    const onDelete = vi.fn();
    render(<Rows onOpen={onOpen} onDelete={onDelete} />);
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    fireEvent.contextMenu(screen.getByText('Opening audit'), { clientX: 40, clientY: 60 });
    const menu = await screen.findByRole('menu', { name: 'Actions for Opening audit' });
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Open', 'Export', 'Delete…']);
    expect(screen.getByRole('menuitem', { name: 'Export' })).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Delete…' }));
    expect(onDelete).toHaveBeenCalledTimes(1);
    expect(onOpen).not.toHaveBeenCalled();
    await waitFor(() => expect(menu).not.toBeInTheDocument());
  });

  it('works from the keyboard: the first item has the focus, Enter runs it, Esc closes without acting', async () => {
    const onOpen = vi.fn();
    render(<Rows onOpen={onOpen} onDelete={() => {}} />);
    fireEvent.contextMenu(screen.getByText('Opening audit'));
    await screen.findByRole('menu');
    await waitFor(() => expect(screen.getByRole('menuitem', { name: 'Open' })).toHaveFocus());
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('menu')).not.toBeInTheDocument());
    expect(onOpen).not.toHaveBeenCalled();
    fireEvent.contextMenu(screen.getByText('Opening audit'));
    await waitFor(() => expect(screen.getByRole('menuitem', { name: 'Open' })).toHaveFocus());
    await userEvent.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledTimes(1);
  });
});
