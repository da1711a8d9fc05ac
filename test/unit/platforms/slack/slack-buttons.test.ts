import { describe, expect, it } from 'vitest';
import { controlLabels, PLACEHOLDER } from '../../../../src/core/user-text.js';
import {
  CONTROL_ACTION,
  controlsBlock,
  endBlocks,
  messageBody,
  parseControlAction,
} from '../../../../src/platforms/slack/slack-buttons.js';

const ANSWER_ID = 'slack:T1:C1:1700000000.000100';

describe('controlsBlock', () => {
  it('makes one button per control, naming the control in its action_id and the answer in its value', () => {
    const block = controlsBlock(['continue', 'regenerate', 'reasoning'], ANSWER_ID);
    expect(block.type).toBe('actions');
    const buttons = block.elements.map(
      (element) => element as { action_id: string; value: string; text: { text: string } },
    );
    expect(buttons.map((button) => button.action_id)).toEqual([
      'streamcord:continue',
      'streamcord:regenerate',
      'streamcord:reasoning',
    ]);
    expect(buttons.every((button) => button.value === ANSWER_ID)).toBe(true);
    expect(buttons[0]?.text.text).toContain(controlLabels.continue);
    expect(buttons.every((button) => CONTROL_ACTION.test(button.action_id))).toBe(true);
  });

  it('marks Stop as the dangerous one', () => {
    expect(controlsBlock(['stop'], ANSWER_ID).elements[0]).toMatchObject({ style: 'danger' });
  });
});

describe('endBlocks', () => {
  it('gives stopStream an actions block only when there are controls', () => {
    expect(endBlocks([], ANSWER_ID)).toEqual({});
    expect(endBlocks(['regenerate'], ANSWER_ID).blocks).toEqual([controlsBlock(['regenerate'], ANSWER_ID)]);
  });
});

describe('messageBody', () => {
  it('sends plain markdown_text without controls', () => {
    expect(messageBody('**Hi**', [], ANSWER_ID)).toEqual({ markdown_text: '**Hi**' });
  });

  it('puts the text in a markdown block above the buttons when there are controls, never with markdown_text', () => {
    const body = messageBody('**Hi**', ['stop'], ANSWER_ID);
    expect(body).not.toHaveProperty('markdown_text');
    expect(body).toEqual({
      text: '**Hi**',
      blocks: [{ type: 'markdown', text: '**Hi**' }, controlsBlock(['stop'], ANSWER_ID)],
    });
  });

  it('keeps the notification text short, and never shows an empty message', () => {
    const long = '😀'.repeat(5000);
    const body = messageBody(long, ['regenerate'], ANSWER_ID);
    expect('text' in body && Array.from(body.text).length).toBe(301);
    expect('blocks' in body && body.blocks[0]).toEqual({ type: 'markdown', text: long });
    expect(messageBody('', [], ANSWER_ID)).toEqual({ markdown_text: PLACEHOLDER });
  });
});

describe('parseControlAction', () => {
  it('reads back what controlsBlock wrote', () => {
    expect(parseControlAction('streamcord:regenerate', ANSWER_ID)).toEqual({
      control: 'regenerate',
      answerId: ANSWER_ID,
    });
    expect(parseControlAction('streamcord:stop', ANSWER_ID)).toEqual({ control: 'stop', answerId: ANSWER_ID });
  });

  it('refuses buttons that are not ours, unknown controls and a missing answer', () => {
    expect(parseControlAction('other:stop', ANSWER_ID)).toBeNull();
    expect(parseControlAction('streamcord:delete', ANSWER_ID)).toBeNull();
    expect(parseControlAction('streamcord:stop', undefined)).toBeNull();
    expect(parseControlAction('streamcord:stop', '')).toBeNull();
  });
});
