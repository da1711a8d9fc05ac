// Masks secrets in any text bound for the log: the values we know (bot token, API key) and the shapes
// that carry secrets we never see in advance (interaction and webhook tokens in URL paths, auth headers,
// Discord bot tokens and Anthropic keys by their format).

export type Mask = (text: string) => string;

const HIDDEN = '[redacted]';

// An interaction's token sits right after its id in /interactions/{id}/{token}/callback and
// /webhooks/{application}/{token}/…; our own reply locators write webhook/{application}/{token}/….
const PATH_TOKEN = /\b(webhooks?|interactions)\/(\d{15,25})\/([^/?#\s"'\\]+)/g;
const AUTH_HEADER = /\b(Bot|Bearer)\s+[\w.~+/=-]{8,}/g;
// Three dot-separated base64url parts: a Discord bot token, whatever its value.
const DISCORD_TOKEN = /\b[MNO][\w-]{23,27}\.[\w-]{6}\.[\w-]{27,40}\b/g;
const ANTHROPIC_KEY = /\bsk-ant-[\w-]{8,}/g;

// A known "secret" this short would mask ordinary words; real ones are far longer.
const MIN_SECRET_LENGTH = 8;

export function createMask(secrets: readonly string[]): Mask {
  const known = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))]
    // The longest first, so a secret containing another is masked whole.
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let masked = text;
    for (const secret of known) masked = masked.replaceAll(secret, HIDDEN);
    return masked
      .replace(PATH_TOKEN, (_, route: string, id: string) => `${route}/${id}/${HIDDEN}`)
      .replace(AUTH_HEADER, (_, scheme: string) => `${scheme} ${HIDDEN}`)
      .replace(DISCORD_TOKEN, HIDDEN)
      .replace(ANTHROPIC_KEY, HIDDEN);
  };
}
