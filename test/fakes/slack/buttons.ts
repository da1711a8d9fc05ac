import { isRecord } from './params.js';

export interface FoundButton {
  readonly actionId: string;
  readonly blockId: string;
  readonly label: string;
  readonly value: string | undefined;
}

/** The buttons of a message's Block Kit: `actions` blocks' button elements, and section accessories. */
export function buttonsIn(blocks: readonly unknown[] | undefined): FoundButton[] {
  const found: FoundButton[] = [];
  (blocks ?? []).forEach((block, index) => {
    if (!isRecord(block)) return;
    const blockId = typeof block['block_id'] === 'string' ? block['block_id'] : `fake-block-${index}`;
    const elements = Array.isArray(block['elements']) ? (block['elements'] as unknown[]) : [];
    const candidates = block['type'] === 'actions' ? elements : [block['accessory']];
    for (const element of candidates) {
      if (!isRecord(element) || element['type'] !== 'button' || typeof element['action_id'] !== 'string') continue;
      const text =
        isRecord(element['text']) && typeof element['text']['text'] === 'string' ? element['text']['text'] : '';
      const value = typeof element['value'] === 'string' ? element['value'] : undefined;
      found.push({ actionId: element['action_id'], blockId, label: text, value });
    }
  });
  return found;
}
