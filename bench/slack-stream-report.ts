import { formatNumber } from './format.js';
import { spreadOf } from './percentiles.js';
import type { SlackAnswerFigures, SlackBenchSettings, SlackRun } from './slack-stream-bench.js';
import { renderTable } from './table.js';

// Slack's native streaming against the post-and-update fallback as a table: one column per mode and
// shape, each figure as median / p95 over the answers.

const ROWS: readonly (readonly [string, (answer: SlackAnswerFigures) => number])[] = [
  ['Slack writes per answer (setStatus included)', (answer) => answer.writes],
  ['  of them text updates (append/update, stop)', (answer) => answer.textWrites],
  ['429s per answer', (answer) => answer.rateLimited],
  ['first delta → first text at Slack, ms', (answer) => answer.firstTextMs],
  ['message_stop → final write at Slack, ms', (answer) => answer.finalLagMs],
];

const cell = (values: readonly number[]): string => {
  const { median, p95 } = spreadOf(values);
  return `${formatNumber(median.value)} / ${formatNumber(p95.value)}`;
};

export function slackStreamSection(runs: readonly SlackRun[], settings: SlackBenchSettings): string[] {
  const { stream, latencyMs, sequential, burst } = settings;
  const head = [
    'median / p95',
    ...runs.map((run) => `${run.mode}, ${run.shape === 'burst' ? `${burst} at once` : 'one by one'}`),
  ];
  const rows = ROWS.map(([label, read]) => [label, ...runs.map((run) => cell(run.answers.map(read)))]);
  const exact = [
    'answers ending with exactly the text',
    ...runs.map((run) => `${run.answers.filter((a) => a.exact).length}/${run.answers.length}`),
  ];
  return [
    `== Slack: native streaming vs post + update (${sequential} answers one by one, ${burst} at once; ` +
      `${stream.answerChars} characters at ${formatNumber(1000 / stream.deltaMs)} deltas/s, first token ${stream.ttftMs} ms; ` +
      `Slack round trip ${latencyMs} ms, Slack's documented rate tiers) ==`,
    '',
    ...renderTable([head, ...rows, exact]),
    '',
    'native: chat.startStream (no text: the placeholder is never streamed), chat.appendStream, chat.stopStream, the Stop',
    'button message beside the stream (chat.postMessage, chat.delete) and assistant.threads.setStatus for the status.',
    'fallback: chat.postMessage with the placeholder, then chat.update (latest wins). Per workspace, the streams are',
    'paced under appendStream’s tier (100 a minute), posts and updates under Tier 3 (50); one slot kept for ends.',
  ];
}
