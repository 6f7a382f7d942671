import type { BenchmarkTable, Cell } from './benchmark';

/** Rounds for reading: integers get thousands separators, other numbers three significant figures or so. */
export function formatCell(value: Cell): string {
  if (value === null) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 0.1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** A Markdown table: readable in a terminal, and pastes straight into the docs. */
export function formatTable(table: BenchmarkTable): string {
  const columns = [...new Set(table.rows.flatMap((row) => Object.keys(row)))];
  const cells = table.rows.map((row) => columns.map((column) => formatCell(row[column] ?? null)));
  const numeric = columns.map((column) => table.rows.every((row) => typeof (row[column] ?? 0) === 'number'));
  const widths = columns.map((column, index) =>
    Math.max(3, column.length, ...cells.map((line) => line[index]!.length)),
  );
  const line = (values: readonly string[]) =>
    `| ${values.map((value, index) => (numeric[index] ? value.padStart(widths[index]!) : value.padEnd(widths[index]!))).join(' | ')} |`;
  const separator = `| ${widths.map((width, index) => (numeric[index] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  const notes = (table.notes ?? []).map((note) => `- ${note}`);
  return [
    `### ${table.title}`,
    '',
    line(columns),
    separator,
    ...cells.map(line),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}
