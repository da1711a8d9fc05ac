import { DiscordHttpError } from '../test/fakes/fake-discord.js';
import type { RouteDefinition } from '../test/fakes/fake-discord.js';
import type { AnthropicScript } from '../test/fakes/fake-anthropic.js';
import { ROUTES } from '../test/fakes/discord/rest-routes.js';
import { failureNotice, failureText, withNotice } from '../src/core/user-text.js';
import { deltasPerAnswer } from './bench-config.js';
import type { SoakCase } from './soak-protocol.js';
import { SOAK_FAULTS } from './soak-protocol.js';
import type { StreamSettings } from './settings.js';

// The soak's faults, inside the fakes process: which one a question meets, the model script that
// plays it, the Discord route that fails chosen edits with a 500, and what the reply must show at the
// end. The dice are seeded, so a run can be repeated.

const EDIT_ROUTE = '/channels/:channelId/messages/:messageId';
// Discord's limit, and room for the notice under a partial answer.
const MESSAGE_LIMIT = 2000;

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlannedQuestion {
  readonly fault: SoakCase;
  readonly script: AnthropicScript;
  /** What the reply shows at the end (unless it is deleted first). */
  readonly expected: string;
  /** For a 500: which edit of the reply fails, the first one or the one showing the whole answer. */
  readonly failedEdit?: 'first' | 'final';
}

export interface SoakFaults {
  /** Put before the fake Discord's own routes. */
  readonly routes: readonly RouteDefinition[];
  /** Sets the dice for a run: the seed, and the chance of each fault per question. */
  reseed(seed: number, faultChance: number): void;
  /** Rolls what question `tag` meets, and keeps its script for its model request. */
  plan(tag: number): PlannedQuestion;
  /** The script for a tagged question's model request, if the soak planned it. */
  scriptFor(tag: number): AnthropicScript | undefined;
  /** The reply to a question that meets a 500 has been posted. */
  failEditOf(messageId: string, which: 'first' | 'final'): void;
  /** Done with a question: forget what was planned for it. */
  forget(tag: number, replyId: string | undefined): void;
  readonly injected500s: number;
}

export function createSoakFaults(answer: string, stream: StreamSettings): SoakFaults {
  const scripts = new Map<number, AnthropicScript>();
  const failing = new Map<string, 'first' | 'final'>();
  let random = seededRandom(1);
  let injected500s = 0;
  const edit = ROUTES.find((route) => route.method === 'PATCH' && route.pattern === EDIT_ROUTE);
  if (!edit) throw new Error('the fake Discord has no message edit route');

  const failThisEdit: RouteDefinition = {
    ...edit,
    handle(context) {
      const messageId = context.params['messageId'] ?? '';
      const which = failing.get(messageId);
      const content = (context.body as { content?: unknown } | undefined)?.content;
      if (which === 'first' || (which === 'final' && content === answer)) {
        failing.delete(messageId);
        injected500s += 1;
        throw new DiscordHttpError(500, { code: 0, message: '500: Internal Server Error' });
      }
      return edit.handle(context);
    },
  };

  const pace: AnthropicScript = { text: answer, chunkSize: stream.chunkChars, delayMs: stream.deltaMs, steady: true };
  const overloadedNotice = failureNotice('overloaded');

  function planFor(fault: SoakCase): PlannedQuestion {
    const script = { ...pace, ttftMs: stream.ttftMs };
    switch (fault) {
      case 'overloaded mid-stream': {
        // Somewhere in the answer, leaving room for the notice in one message.
        const room = Math.floor((MESSAGE_LIMIT - overloadedNotice.length - 10) / stream.chunkChars);
        const most = Math.max(1, Math.min(deltasPerAnswer(stream) - 1, room));
        const afterDeltas = 1 + Math.floor(random() * most);
        const partial = answer.slice(0, afterDeltas * stream.chunkChars);
        const fault = { kind: 'error-event', afterDeltas, type: 'overloaded_error' } as const;
        return {
          fault: 'overloaded mid-stream',
          script: { ...script, fault },
          expected: withNotice(partial, overloadedNotice),
        };
      }
      case '529 before the stream': {
        const fault = { kind: 'http-error', status: 529, type: 'overloaded_error' } as const;
        return { fault: '529 before the stream', script: { fault }, expected: failureText('overloaded') };
      }
      case 'Discord 500 on an edit':
        return { fault, script, expected: answer, failedEdit: random() < 0.5 ? 'first' : 'final' };
      default:
        return { fault, script, expected: answer };
    }
  }

  // Each fault has `chance`; whatever is left over is a question without one.
  function pick(): SoakCase {
    return chance > 0 ? (SOAK_FAULTS[Math.floor(random() / chance)] ?? 'none') : 'none';
  }

  let chance = 0;
  return {
    routes: [failThisEdit],
    reseed(seed, faultChance) {
      random = seededRandom(seed);
      chance = faultChance;
    },
    plan(tag) {
      const planned = planFor(pick());
      scripts.set(tag, planned.script);
      return planned;
    },
    scriptFor: (tag) => scripts.get(tag),
    failEditOf: (messageId, which) => void failing.set(messageId, which),
    forget(tag, replyId) {
      scripts.delete(tag);
      if (replyId !== undefined) failing.delete(replyId);
    },
    get injected500s() {
      return injected500s;
    },
  };
}
