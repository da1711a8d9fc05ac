// What a message shows: its text and the controls (buttons) under it.

/**
 * Stop while an answer streams; Continue after max_tokens; Regenerate on a channel's last answer;
 * Show reasoning on one Claude thought about (it answers privately to whoever presses it).
 */
export type Control = 'stop' | 'continue' | 'regenerate' | 'reasoning';

export interface MessageView {
  readonly content: string;
  readonly controls: readonly Control[];
  /**
   * The status line (thinking, searching…) that `content` ends with, when it shows one: never part of
   * the answer. Platforms that render `content` as it is ignore it; one that can only append to a
   * message (Slack's native stream) takes it off and shows it another way.
   */
  readonly status?: string;
}

export function sameView(a: MessageView, b: MessageView): boolean {
  return a.content === b.content && a.controls.join() === b.controls.join();
}

export const view = (content: string, controls: readonly Control[] = []): MessageView => ({ content, controls });
