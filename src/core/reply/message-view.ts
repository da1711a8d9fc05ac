// What a message shows: its text and the controls (buttons) under it.

/**
 * Stop while an answer streams; Continue after max_tokens; Regenerate on a channel's last answer;
 * Show reasoning on one Claude thought about (it answers privately to whoever presses it).
 */
export type Control = 'stop' | 'continue' | 'regenerate' | 'reasoning';

export interface MessageView {
  readonly content: string;
  readonly controls: readonly Control[];
}

export function sameView(a: MessageView, b: MessageView): boolean {
  return a.content === b.content && a.controls.join() === b.controls.join();
}

export const view = (content: string, controls: readonly Control[] = []): MessageView => ({ content, controls });
