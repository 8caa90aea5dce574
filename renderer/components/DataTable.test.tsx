// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DataTable } from './DataTable.js';

afterEach(cleanup);

const row = (
  <tr>
    <th scope="row">Opening checklist</th>
    <td>published</td>
    <td>
      <button type="button">Archive</button>
    </td>
  </tr>
);

describe('DataTable', () => {
  it('names the table and its columns, with an Actions column only screen readers hear', () => {
    render(
      <DataTable label="Forms" columns={['Title', 'Status']} actions>
        {row}
      </DataTable>,
    );
    const table = screen.getByRole('table', { name: 'Forms' });
    expect(table).toHaveClass('data-table');
    const headers = within(table).getAllByRole('columnheader');
    expect(headers.map((header) => header.textContent)).toEqual(['Title', 'Status', 'Actions']);
    expect(within(headers[2]!).getByText('Actions')).toHaveClass('visually-hidden');
    expect(within(table).getByRole('rowheader', { name: 'Opening checklist' })).toBeInTheDocument();
  });

  it('has no Actions column unless asked', () => {
    render(
      <DataTable label="Answers" columns={['Field', 'Answer']}>
        <tr>
          <th scope="row">Doors open</th>
          <td>Yes</td>
        </tr>
      </DataTable>,
    );
    const headers = within(screen.getByRole('table', { name: 'Answers' })).getAllByRole('columnheader');
    expect(headers.map((header) => header.textContent)).toEqual(['Field', 'Answer']);
  });
});
