import type { Ending } from '../../core/answer/answer-outcome.js';
import { failureNotice, failureText, notices, plainNotice, terminalText } from '../../core/user-text.js';

// What the terminal prints under an answer that did not simply end: the core's notices without their
// Discord markup. The terminal already shows the partial text, so only the notice is needed here, not
// the Ending's whole display.

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
    case 'max_tokens':
      return plainNotice(notices.maxTokens);
    case 'refused':
      return plainNotice(notices.refused);
    case 'context_full':
      return plainNotice(notices.contextFull);
    case 'empty':
      return plainNotice(notices.empty);
    case 'idle':
      return plainNotice(notices.idle);
    case 'interrupted':
      return plainNotice(notices.interrupted);
    case 'expired':
      return plainNotice(notices.expired);
    case 'deleted':
      return plainNotice(notices.deleted);
  }
}
