// The app's plain tables (forms, team, KPI values, completion counts, answers): a labelled
// `data-table` with one header row of column names, and, where rows carry buttons, a last
// column whose header only screen readers hear ("Actions"), so it has a name without
// taking room on screen. Rows stay with each screen: their first cell is a row header.
import type { ReactNode } from 'react';

interface Props {
  /** The table's accessible name. */
  label: string;
  columns: readonly string[];
  /** Adds the last, visually hidden "Actions" column for rows with buttons. */
  actions?: boolean;
  /** The `<tr>` rows of the body, or (with `bodies`) several `<tbody>` row groups. */
  children: ReactNode;
  /** The children are `<tbody>` groups (e.g. answers by section) rather than rows. */
  bodies?: boolean;
}

export const DataTable = ({ label, columns, actions = false, children, bodies = false }: Props) => (
  <table className="data-table" aria-label={label}>
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        )}
      </tr>
    </thead>
    {bodies ? children : <tbody>{children}</tbody>}
  </table>
);
