import type { BenchConfig } from './bench-config.js';
import { formatNumber } from './format.js';
import type { StatusCost } from './status-line-cost.js';
import { renderTable } from './table.js';

// The status line's cost as a table: edits per answer for the same answer plain, after thinking and
// after a web search, and the extra edits over the plain one.

const LABELS = { plain: 'plain answer', thinking: 'after thinking', search: 'after a web search' } as const;

export function statusSection(rows: readonly StatusCost[], config: BenchConfig): string[] {
  const { thinkingMs, searchMs, answers } = config.status;
  const { windowMs, limit } = config.discord.channelBucket;
  const table = rows.map((row) => [
    LABELS[row.kind],
    row.edits.join(', '),
    formatNumber(row.medianEdits),
    row.kind === 'plain' ? '' : `+${formatNumber(row.extra)}`,
  ]);
  return [
    '',
    `== Status line: edits per answer, ${answers} of each (thinking ${thinkingMs} ms, search ${searchMs} ms; ` +
      `channel budget ${limit} per ${windowMs} ms) ==`,
    '',
    ...renderTable([['answer', 'edits', 'median', 'extra'], ...table]),
  ];
}
