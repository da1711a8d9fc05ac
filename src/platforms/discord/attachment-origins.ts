import { fileOrigins } from '../shared/attachment-fetcher.js';

// Discord serves attachments from these two, over https only.
const DISCORD_ATTACHMENT_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];

/** Discord's attachment origins, plus DISCORD_API_URL's (a proxy, or a test server's CDN). */
export function discordAttachmentOrigins(apiUrl: string | undefined): Set<string> {
  return fileOrigins(DISCORD_ATTACHMENT_ORIGINS, apiUrl);
}
