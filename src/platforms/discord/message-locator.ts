// Where a message of a reply can be found again after a restart, as one string: a channel message by
// its ids, an interaction response by its webhook (usable while the interaction token lives).

export type MessageLocation =
  | { readonly kind: 'channel'; readonly channelId: string; readonly messageId: string }
  | { readonly kind: 'webhook'; readonly applicationId: string; readonly token: string; readonly messageId: string };

export function locate(location: MessageLocation): string {
  return location.kind === 'channel'
    ? `channel/${location.channelId}/${location.messageId}`
    : `webhook/${location.applicationId}/${location.token}/${location.messageId}`;
}

export function parseLocator(locator: string): MessageLocation | null {
  const [kind, first, second, third] = locator.split('/');
  if (kind === 'channel' && first && second) return { kind, channelId: first, messageId: second };
  if (kind === 'webhook' && first && second && third) {
    return { kind, applicationId: first, token: second, messageId: third };
  }
  return null;
}
