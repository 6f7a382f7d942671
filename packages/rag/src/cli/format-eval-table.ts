import type { EvalReport, RelativeChange } from './eval-report';

function percentChange(change: RelativeChange | null): string {
  const value = change?.ndcgAt10;
  if (value === null || value === undefined) return '–';
  return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
}

/** The report as a Markdown table: readable in a terminal, and pastes into docs as it is. */
export function formatEvalTable(report: EvalReport): string {
  const header = [
    'configuration',
    'nDCG@10',
    'R@10',
    'R@100',
    'MRR@10',
    'p50 (ms)',
    'p95 (ms)',
    'build (s)',
    'nDCG@10 vs keyword-naive',
    'nDCG@10 vs bm25',
  ];
  const rows = report.configurations.map((row) => [
    row.addedAsBaseline ? `${row.name} (baseline)` : row.name,
    row.metrics.ndcgAt10.toFixed(4),
    row.metrics.recallAt10.toFixed(4),
    row.metrics.recallAt100.toFixed(4),
    row.metrics.mrrAt10.toFixed(4),
    row.latencyMs.p50.toFixed(2),
    row.latencyMs.p95.toFixed(2),
    (row.indexBuildMs / 1000).toFixed(2),
    percentChange(row.relativeChange['keyword-naive']),
    percentChange(row.relativeChange.bm25),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  // The first column is text and reads left-aligned; the figures line up on the right.
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const separator = `| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  const embedders = [...new Set(report.configurations.map((row) => row.embedder))];
  const failed = report.configurations.filter((row) => row.failedDocuments > 0);
  return [
    `${report.dataset.path} (${report.dataset.split}): ${report.dataset.documents.toLocaleString('en-US')} documents, ${report.dataset.judgedQueries.toLocaleString('en-US')} judged queries`,
    '',
    line(header),
    separator,
    ...rows.map(line),
    '',
    `Store: ${report.store}. Embedders: ${embedders.join(', ')}.`,
    report.protocol,
    ...failed.map((row) => `Warning: ${row.name} could not index ${row.failedDocuments} document(s).`),
  ].join('\n');
}
