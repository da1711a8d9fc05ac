// What a message shows: its text and the controls (buttons) under it.

/** Stop while an answer streams; Continue after max_tokens; Regenerate on a channel's last answer. */
export type Control = 'stop' | 'continue' | 'regenerate';

export interface MessageView {
  readonly content: string;
  readonly controls: readonly Control[];
}

export function sameView(a: MessageView, b: MessageView): boolean {
  return a.content === b.content && a.controls.join() === b.controls.join();
}

export const view = (content: string, controls: readonly Control[] = []): MessageView => ({ content, controls });
