import type { AccessRefusal } from './access/access-policy.js';
import type { ModelFailure } from './ports/model.js';
import type { AttachmentKind } from './prompt/attachment-kind.js';
import type { AttachmentProblem, DownloadFailure } from './prompt/attachment-problem.js';
import type { Control } from './reply/message-view.js';

// Every sentence a user reads about how an answer went, in one place. Budgets, /usage and /config
// speak in their own words beside them: src/core/budget/budget-text.ts, usage-report.ts and
// src/core/settings/settings-text.ts.

export const PLACEHOLDER = '…';

export const EMPTY_MENTION_HINT = 'Ask me something after the mention, e.g. “@me what is a monad?”';

/** The name of a thread opened on a question with no words to name it by (THREADS=auto). */
export const THREAD_FALLBACK_NAME = 'Question for Claude';

// Discord renders "-#" lines as small grey subtext: visible, but clearly not part of the answer.
const NOTICE_MARK = '-# ';
const notice = (text: string): string => `${NOTICE_MARK}${text}`;

/** A notice without Discord's markup, for places that do not render it (the terminal chat). */
export function plainNotice(line: string): string {
  return line.startsWith(NOTICE_MARK) ? line.slice(NOTICE_MARK.length) : line;
}

export const notices = {
  maxTokens: notice('✂️ The answer was cut at the length limit.'),
  idle: notice('⏱️ Claude stopped responding, so the answer ends here.'),
  empty: notice('Claude returned an empty answer.'),
  interrupted: notice('⏹️ The bot was shutting down, so the answer ends here.'),
  continuesBelow: notice('⬇️ The answer continues below.'),
  // A mention in content renders as a name but pings no one: allowed_mentions parses nothing.
  stopped: (userId: string) => notice(`⏹️ Stopped by <@${userId}>.`),
  deleted: notice('🗑️ A message of this exchange was deleted, so the answer stopped.'),
  restarted: notice('⚠️ The bot restarted while writing this answer, so it ends here. Ask again to get the rest.'),
  expired: notice('⏱️ Discord keeps a private answer open for 15 minutes only, so it ends here.'),
  refused: notice('🚫 Claude declined to go on with this answer.'),
  contextFull: notice('📚 This conversation has grown too long for Claude to go on. Use /reset to start fresh.'),
} as const;

/** The live line while Claude thinks or uses a web tool; shown on the streaming message only, never in the answer. */
export const statusText = {
  thinking: (seconds: number) => (seconds < 1 ? '💭 Thinking…' : `💭 Thinking… ${seconds}s`),
  searching: (query: string) => `🔎 Searching: ${query}`,
  fetching: (page: string) => `🌐 Reading: ${page}`,
} as const;

/** The heading of the list of pages an answer cites, at its end. */
export const SOURCES_HEADING = '**Sources**';

/** What "Show reasoning" sends privately, above Claude's summarized thinking. */
export const reasoningText = {
  heading: notice('💭 How Claude reasoned about this answer (only you can see this):'),
  truncated: notice('✂️ The reasoning is longer than this; the rest is left out.'),
} as const;

const failures: Record<ModelFailure, string> = {
  overloaded: 'Claude is overloaded right now. Please try again in a minute.',
  rate_limited: 'Too many requests to Claude right now. Please try again in a minute.',
  authentication: 'The bot could not sign in to Claude. An admin needs to check its API key.',
  permission: 'The bot’s Claude API key is not allowed to do this. An admin needs to check it.',
  billing: 'The bot’s Claude account has a billing problem. An admin needs to check it.',
  invalid_request:
    'Claude could not accept this request (it may be too long). Try a shorter question, or ask an admin to reset the conversation.',
  not_found: 'The configured Claude model was not found. An admin needs to check ANTHROPIC_MODEL.',
  timeout: 'Claude took too long to respond. Please try again.',
  connection: 'The bot could not reach Claude. Please try again in a moment.',
  server: 'Claude had an internal error. Please try again.',
  stream_cut: 'The connection to Claude broke off.',
  aborted: 'The answer was stopped.',
  unknown: 'Something went wrong while asking Claude. Please try again.',
};

const accessWords: Record<'everyone' | 'moderators' | 'admins', string> = {
  everyone: 'everyone',
  moderators: 'members who can manage messages and the admins',
  admins: 'the server’s admins (Manage Server) and the bot’s admins',
};

export const commandText = {
  unknown: 'Unknown command. It may have been removed; try again once Discord has refreshed the command list.',
  failed: '⚠️ Something went wrong running this command. It has been logged; please try again.',
  notAllowed: (command: string, access: keyof typeof accessWords) => `Only ${accessWords[access]} can use /${command}.`,
  missing: (option: string) => `Please fill in \`${option}\`: it can’t be empty.`,
  tooLong: (option: string, max: number) => `\`${option}\` is too long: at most ${max} characters, please.`,
  tooShort: (option: string, min: number) => `\`${option}\` is too short: at least ${min} characters, please.`,
  notAChoice: (option: string, choices: readonly string[]) =>
    `\`${option}\` must be one of the listed choices: ${choices.map((choice) => `\`${choice}\``).join(', ')}.`,
  subcommandNeeded: (command: string, subcommands: readonly string[]) =>
    `Please pick what /${command} should do: ${subcommands.map((name) => `\`/${command} ${name}\``).join(', ')}.`,
  cleared: (exchanges: number) =>
    exchanges === 0
      ? 'There was nothing to clear: this channel’s conversation is already empty.'
      : `Cleared this channel’s conversation (${exchanges} ${exchanges === 1 ? 'exchange' : 'exchanges'}). The next question starts fresh.`,
  clearsAfterAnswer: 'An answer is being written in this channel: the conversation is cleared as soon as it ends.',
  cannotPostHere:
    'I can’t post in this channel, so I can’t answer here. A moderator can give me View Channel, Send Messages (in a thread: Send Messages in Threads) and Read Message History here; until then, `/ask` with `private: True` still works.',
} as const;

/** What pressing a control, or /stop, can be told instead of acting. */
export const controlText = {
  notAllowedToStop: 'Only the person who asked, moderators and the bot’s admins can stop this answer.',
  notAllowed: 'Only the person who asked, moderators and the bot’s admins can use this button.',
  finished: 'This answer has already finished.',
  notLatest: 'This is no longer the latest answer in this channel, so it can’t be changed any more.',
  notContinuable: 'This answer was not cut short, so there is nothing to continue.',
  busy: 'An answer is still streaming in this channel; wait for it (or stop it) first.',
  nothingStreaming: 'Nothing is being answered in this channel right now.',
  stopped: 'Stopped.',
  unknownButton: 'This button no longer works (the bot may have restarted). Ask again instead.',
  reasoningGone:
    'The reasoning behind this answer is no longer available (the bot may have restarted, or a newer answer replaced it).',
} as const;

/** The buttons' labels where a platform takes them from here (Slack). */
export const controlLabels: Readonly<Record<Control, string>> = {
  stop: 'Stop',
  continue: 'Continue',
  regenerate: 'Regenerate',
  reasoning: 'Show reasoning',
};

/** A thread's status while Claude is asked and nothing is written yet (Slack shows it after the app's name). */
export const WAITING_STATUS = 'is thinking…';

/** What a notification shows for a Stop button that cannot sit on the streaming answer itself (Slack). */
export const STOP_BUTTON_NOTE = 'Claude is answering above. Stop ends the answer where it is.';

/** The line under an answer when the usage footer is on. */
export function usageFooter(usage: {
  input: number;
  output: number;
  ttftMs: number | null;
  tokensPerSecond: number | null;
}) {
  const parts = [`${usage.input} in`, `${usage.output} out`];
  if (usage.ttftMs !== null) parts.push(`first token ${(usage.ttftMs / 1000).toFixed(1)} s`);
  if (usage.tokensPerSecond !== null) parts.push(`${Math.round(usage.tokensPerSecond)} tokens/s`);
  return notice(parts.join(' · '));
}

/** The explanation shown instead of an answer when the model failed before any text. */
export function failureText(failure: ModelFailure): string {
  return `⚠️ ${failures[failure]}`;
}

/** The line added under partial text when the model failed mid-answer. */
export function failureNotice(failure: ModelFailure): string {
  return notice(`⚠️ ${failures[failure]} The answer above is incomplete.`);
}

/** Puts a notice under the answer text. */
export function withNotice(text: string, line: string): string {
  return text.trim() === '' ? line : `${text.trimEnd()}\n\n${line}`;
}

/** Why a question was refused by the access lists (see src/core/access/access-policy.ts). */
export const accessText: Readonly<Record<AccessRefusal, string>> = {
  dms_off: 'I don’t answer direct messages. Please ask me in a server channel.',
  guild: 'I’m not set up to answer in this server.',
  channel: 'I don’t answer in this channel. Please ask me in one where I’m allowed to answer.',
  role: 'You aren’t allowed to ask me questions here: it takes a role the server’s admins chose.',
  user: 'You aren’t allowed to ask me questions here.',
  blocked: 'You aren’t allowed to ask me questions here.',
};

/** A question refused because too many are already waiting (queue caps). */
export const queueText = {
  channelBusy:
    'This channel is busy: too many questions are already waiting here. Ask again once the answers above have finished.',
  youAreWaiting: (count: number) =>
    `You already have ${count} question${count === 1 ? '' : 's'} waiting for an answer. Ask again once ${count === 1 ? 'it has' : 'they have'} been answered.`,
} as const;

// 420 ms, 1.4 s: milliseconds where they matter, seconds past one.
const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** What `npm run chat` (src/platforms/terminal/) says besides Claude's answers and the notices above. */
export const terminalText = {
  welcome: (model: string) =>
    `Chatting with ${model}. /reset clears the conversation, /exit or Ctrl-D quits, Ctrl-C stops an answer.`,
  prompt: '> ',
  stopped: '⏹️ Stopped.',
  cleared: (exchanges: number) =>
    exchanges === 0
      ? 'The conversation is already empty.'
      : `Cleared the conversation (${exchanges} ${exchanges === 1 ? 'exchange' : 'exchanges'}). The next question starts fresh.`,
  unknownCommand: (name: string) => `Unknown command /${name}. Commands: /reset, /exit.`,
  /** The line after each answer. `input` counts every input token, those read from the cache included. */
  usage(figures: {
    input: number;
    cacheRead: number;
    output: number;
    ttftMs: number | null;
    tokensPerSecond: number | null;
  }): string {
    const parts = [`${figures.input} in (${figures.cacheRead} cache read)`, `${figures.output} out`];
    if (figures.ttftMs !== null) parts.push(`first token ${duration(figures.ttftMs)}`);
    if (figures.tokensPerSecond !== null) parts.push(`${Math.round(figures.tokensPerSecond)} tokens/s`);
    return parts.join(' · ');
  },
} as const;

// A file's name in a notice: as code, so that Markdown in it shows as typed.
const fileName = (name: string) => `\`${name.replaceAll('`', "'")}\``;
const fileSize = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

const downloadFailures: Record<DownloadFailure, string> = {
  timeout: 'took too long to download',
  untrusted_host: 'is not on a file server the bot trusts',
  http_status: 'could not be downloaded',
  forbidden: 'could not be downloaded: the bot may not read files here',
  too_large: 'turned out larger than the limit while downloading',
  network: 'could not be downloaded',
  aborted: 'was not downloaded',
};

const unreadableAs: Record<AttachmentKind, string> = {
  image: 'a PNG, JPEG, GIF or WebP image',
  pdf: 'a readable PDF',
  text: 'UTF-8 text',
};

/** The one line in the reply for a file that did not go to Claude with the question. */
export function attachmentNotice(problem: AttachmentProblem): string {
  switch (problem.kind) {
    case 'unsupported':
      return notice(
        `📎 ${fileName(problem.name)} was left out: I read images (PNG, JPEG, GIF, WebP), PDFs and text files.`,
      );
    case 'too_large':
      return notice(
        `📎 ${fileName(problem.name)} was left out: it is ${fileSize(problem.size)}, over the ${fileSize(problem.limit)} limit.`,
      );
    case 'over_total':
      return notice(
        `📎 ${fileName(problem.name)} was left out: one question's files may come to at most ${fileSize(problem.total)}.`,
      );
    case 'too_many_pixels':
      return notice(
        `📎 ${fileName(problem.name)} was left out: images may be at most ${problem.maxSide} pixels on a side.`,
      );
    case 'too_many':
      return notice(
        problem.max === 0
          ? `📎 Files are not read here, so ${problem.names.map(fileName).join(', ')} ${problem.names.length === 1 ? 'was' : 'were'} left out.`
          : `📎 I read at most ${problem.max} ${problem.max === 1 ? 'file' : 'files'} per question, so ${problem.names.map(fileName).join(', ')} ${problem.names.length === 1 ? 'was' : 'were'} left out.`,
      );
    case 'download_failed': {
      const status =
        problem.failure === 'http_status' && problem.status !== undefined ? ` (HTTP ${problem.status})` : '';
      return notice(`📎 ${fileName(problem.name)} ${downloadFailures[problem.failure]}${status}, so it was left out.`);
    }
    case 'unreadable':
      return notice(`📎 ${fileName(problem.name)} was left out: it is not ${unreadableAs[problem.as]}.`);
  }
}

/** What Slack's slash commands say that Discord's do not. */
export const slackCommandText = {
  /** The app's message that a public `/ask` answers under: Slack commands leave no message of their own. */
  asked: (name: string, question: string) =>
    `**${name}** asked:\n${question
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n')}`,
  cannotPostHere:
    'I can’t post in this conversation, so I can’t answer here. Invite me to the channel, or ask privately: `/ask private: your question`.',
  notOnSlack: 'This command is not available on Slack yet.',
} as const;
