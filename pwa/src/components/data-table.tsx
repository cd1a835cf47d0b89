import type { VNode } from 'preact';
import { TableHead, type Column } from './table-head.tsx';

interface Props<T> {
  columns: Column[];
  items: readonly T[];
  /** The body row of one item, keyed by the caller. */
  row(item: T): VNode;
  /** Names a table that no heading names. */
  label?: string;
  /** While the items are being loaded again. */
  busy?: boolean;
}

/**
 * A table of items inside the wrapper that lets it scroll sideways on a narrow screen:
 * the header row from `columns`, then one body row per item.
 *
 * @example
 * <DataTable columns={['Name', 'Email']} items={users} row={(u) => <tr key={u.id}>…</tr>} />
 */
export function DataTable<T>({ columns, items, row, label, busy }: Props<T>) {
  return (
    <div class="table-wrap">
      <table aria-label={label} aria-busy={busy}>
        <TableHead columns={columns} />
        <tbody>{items.map(row)}</tbody>
      </table>
    </div>
  );
}
