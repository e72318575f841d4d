import type { ReactNode } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';

/** An admin table that scrolls sideways on a phone, headed by one column title each (`columns`, message keys). */
export function AdminTable({
  testId,
  columns,
  children,
}: {
  testId: string;
  columns: MessageKey[];
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="admin-table-wrap">
      <table className="admin-table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {t(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
