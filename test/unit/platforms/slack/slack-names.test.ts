import { describe, expect, it } from 'vitest';
import { slackNames } from '../../../../src/platforms/slack/slack-names.js';

describe('Slack names in /usage', () => {
  it('shows a channel counted as slack:<team>:<channel> and a person as Slack mentions', () => {
    expect(slackNames.channel('slack:T0TEAM:C0CHANNEL')).toBe('<#C0CHANNEL>');
    expect(slackNames.user('U0PERSON')).toBe('<@U0PERSON>');
  });
});
