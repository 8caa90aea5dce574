// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { QueryState } from './QueryState.js';

afterEach(cleanup);

const pending = { isPending: true, isError: false, error: null };
const failed = { isPending: false, isError: true, error: new Error('The local store is locked') };
const loaded = { isPending: false, isError: false, error: null };

describe('QueryState', () => {
  it('says what is loading while the read is pending, and raises no alert', () => {
    render(<QueryState query={pending} loading="Loading forms…" failure="Could not load forms" />);
    expect(screen.getByText('Loading forms…')).toHaveClass('muted');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the failure with the core’s reason as an alert', () => {
    render(<QueryState query={failed} loading="Loading forms…" failure="Could not load forms" />);
    expect(screen.getByRole('alert')).toHaveTextContent(/^Could not load forms: The local store is locked$/);
    expect(screen.queryByText('Loading forms…')).not.toBeInTheDocument();
  });

  it('shows nothing once the data is there, and no loading line where none was given', () => {
    const { container, rerender } = render(
      <QueryState query={loaded} loading="Loading forms…" failure="Could not load forms" />,
    );
    expect(container).toBeEmptyDOMElement();
    rerender(<QueryState query={pending} failure="Could not load completion counts" />);
    expect(container).toBeEmptyDOMElement();
  });
});
