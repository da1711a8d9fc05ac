import { Server } from 'node:http';
import type { AnyMiddlewareArgs, AppOptions, Middleware } from '@slack/bolt';
import type { SlackEventsConfig } from '../../config.js';
import type { Logger } from '../../core/ports/logger.js';
import type { RecentEvents } from './recent-events.js';

// How the Bolt app hears from Slack. Socket Mode by default: the app opens a websocket with its
// app-level token, no public URL needed. With a signing secret instead, Bolt's HTTPReceiver (no
// express) takes Slack's requests on SLACK_PORT at /slack/events: it answers the URL-verification
// challenge, refuses a request whose signature or timestamp does not verify with 401 (logging why,
// never the secret), and acks an event as soon as the listeners return — ours return at once, well
// inside Slack's 3 seconds.

/** Where Slack's requests arrive over HTTP: the Request URL is `https://<host>/slack/events`. */
export const SLACK_EVENTS_PATH = '/slack/events';

type ReceiverOptions = Pick<AppOptions, 'socketMode' | 'appToken' | 'signingSecret' | 'port' | 'endpoints'>;

export function slackReceiver(events: SlackEventsConfig): ReceiverOptions {
  if (events.kind === 'socket-mode') return { socketMode: true, appToken: events.appToken };
  return { signingSecret: events.signingSecret, port: events.port, endpoints: SLACK_EVENTS_PATH };
}

/** The port the HTTP receiver listens on (SLACK_PORT=0 takes any free one); undefined in Socket Mode. */
export function listeningPort(started: unknown): number | undefined {
  const address = started instanceof Server ? started.address() : null;
  return typeof address === 'object' && address !== null ? address.port : undefined;
}

/**
 * A global middleware that drops a redelivered event (same event_id) before any listener sees it.
 * Bolt has acked an event before its middleware runs, so Slack stops retrying it all the same.
 */
export function skipRedeliveries(recent: RecentEvents, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = 'event_id' in body && typeof body.event_id === 'string' ? body.event_id : undefined;
    if (eventId !== undefined && !recent.firstDelivery(eventId)) {
      logger.info(
        { eventId, retry: context.retryNum, reason: context.retryReason },
        'Slack event delivered again; skipped',
      );
      return;
    }
    await next();
  };
}
