import type { SourceLink } from '../../core/answer/answer-composer.js';

// A cited page in an answer's Sources list as a Discord masked link. The URL goes in <…> so Discord
// shows no embed preview for it (an answer citing five pages would otherwise grow five cards);
// brackets in the title would end the link text early, and characters that end the <…> early are
// percent-encoded.

export const discordSourceLink: SourceLink = ({ title, url }) => {
  const text = (title.trim() || hostOf(url)).replace(/[[\]\\]/g, '\\$&').replace(/\s+/g, ' ');
  return `[${text}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
};

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
