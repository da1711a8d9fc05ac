import type { EventEmitter } from 'node:events';
import type { Params } from './params.js';
import type { FakeSlackEvents } from './types.js';
import type { Workspace } from './workspace.js';

/** What a method handler may touch: the workspace, the event feed, and Socket Mode's tickets. */
export interface MethodServices {
  readonly workspace: Workspace;
  readonly events: EventEmitter<FakeSlackEvents>;
  /** A fresh single-use Socket Mode URL (`apps.connections.open`). */
  readonly openConnectionUrl: () => string;
}

export interface MethodContext {
  readonly params: Params;
  readonly services: MethodServices;
}

/**
 * One Web API method. `token` is the kind it takes: bot methods refuse the app-level token and
 * `apps.connections.open` refuses a bot token (`not_allowed_token_type`), as on Slack.
 */
export interface MethodDefinition {
  readonly token: 'bot' | 'app' | 'any';
  /** Returns the body's fields besides `ok: true`; throws SlackApiError for `{ ok: false }`. */
  readonly handle: (context: MethodContext) => Record<string, unknown>;
}
