import type { Ending } from '../../core/answer/answer-outcome.js';
import { failureNotice, failureText, notices, plainNotice, terminalText } from '../../core/user-text.js';

// What the terminal prints under an answer that did not simply end: the core's notices without their
// Discord markup. The terminal already shows the partial text, so only the notice is needed here, not
// the Ending's whole display.

// The outcomes whose notice the terminal prints as the core words it; a new outcome must be added
// here or handled in turnNotice (the type says so).
const PLAIN: Record<Exclude<Ending['outcome'], 'complete' | 'failed' | 'stopped'>, string> = {
  max_tokens: notices.maxTokens,
  refused: notices.refused,
  context_full: notices.contextFull,
  empty: notices.empty,
  idle: notices.idle,
  interrupted: notices.interrupted,
  expired: notices.expired,
  deleted: notices.deleted,
};

export function turnNotice(ending: Ending): string | null {
  switch (ending.outcome) {
    case 'complete':
      return null;
    case 'failed': {
      const failure = ending.failure ?? 'unknown';
      return ending.answer.trim() === '' ? failureText(failure) : plainNotice(failureNotice(failure));
    }
    // Ctrl-C: the core's "stopped by <someone>" names a Discord user.
    case 'stopped':
      return terminalText.stopped;
    default:
      return plainNotice(PLAIN[ending.outcome]);
  }
}
