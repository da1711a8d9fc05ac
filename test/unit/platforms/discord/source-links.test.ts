import { describe, expect, it } from 'vitest';
import { discordSourceLink } from '../../../../src/platforms/discord/source-links.js';

describe('discordSourceLink', () => {
  it('is a masked link with the URL in <…>, so Discord shows no embed', () => {
    expect(discordSourceLink({ title: 'Paris', url: 'https://example.com/paris' })).toBe(
      '[Paris](<https://example.com/paris>)',
    );
  });

  it('escapes brackets in the title and keeps the URL inside its <…>', () => {
    expect(discordSourceLink({ title: 'A [b] \\ c', url: 'https://x.test/a>b c' })).toBe(
      '[A \\[b\\] \\\\ c](<https://x.test/a%3Eb%20c>)',
    );
  });

  it('names an untitled page by its host', () => {
    expect(discordSourceLink({ title: ' ', url: 'https://x.test/page' })).toBe('[x.test](<https://x.test/page>)');
  });
});
