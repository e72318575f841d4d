import type { ReactNode } from 'react';

/** An admin table that scrolls sideways on a phone, headed by one column title each. */
export function AdminTable({ testId, columns, children }: { testId: string; columns: string[]; children: ReactNode }) {
  return (
    <div className="admin-table-wrap">
      <table className="admin-table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
