import { MESSAGE_LIMIT } from '../reply/split-message.js';
import { PLACEHOLDER, notices, withNotice } from '../user-text.js';

// What the last message of a reply that a crash interrupted shows once the restart sweep finds it:
// the text it had, or nothing if it was still on its placeholder, and the notice, within the
// platform's message limit (Discord's by default).

export function interruptedContent(shown: string, limit = MESSAGE_LIMIT): string {
  const text = shown === PLACEHOLDER ? '' : shown;
  const room = limit - notices.restarted.length - 3;
  const fitted = text.length > room ? `${text.slice(0, room - 1)}…` : text;
  return withNotice(fitted, notices.restarted);
}
