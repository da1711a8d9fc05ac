import type { FakeAnthropic, RecordedAnthropicRequest } from '../test/fakes/fake-anthropic.js';
import type { FakeDiscord, RecordedRequest, StoredMessage } from '../test/fakes/fake-discord.js';
import { PLACEHOLDER } from '../src/core/user-text.js';
import { questionText, tagOf } from './answer-text.js';
import type { PlannedQuestion, SoakFaults } from './soak-faults.js';
import type { SoakCase, SoakMiss, SoakPlan, SoakRecord } from './soak-protocol.js';
import { SOAK_FAULTS } from './soak-protocol.js';

// The soak's questions, inside the fakes process: every channel asks, waits for its reply to show
// the end, judges it, and asks again, until the time is up. A reply that meets the "reply deleted"
// fault is deleted as soon as it shows text, and is right once the model's stream has closed (the
// bot stopped it). Everything is driven by the fakes' events; nothing polls.

const MISSES_KEPT = 5;
// The fake Discord records every request; the soak reads only the 429 count from them.
const CLEAR_RECORDS_EVERY_MS = 10_000;

interface Question {
  readonly tag: number;
  readonly planned: PlannedQuestion;
  readonly questionId: string;
  replyId: string | undefined;
  requestIndex: number | undefined;
  streamClosed: boolean;
  deleted: boolean;
  shown: string;
  readonly settle: (verdict: 'right' | 'wrong' | 'lost') => void;
}

export async function runSoak(
  discord: FakeDiscord,
  anthropic: FakeAnthropic,
  faults: SoakFaults,
  plan: SoakPlan,
): Promise<SoakRecord> {
  const byQuestion = new Map<string, Question>();
  const byReply = new Map<string, Question>();
  const byTag = new Map<number, Question>();
  const byRequest = new Map<number, Question>();
  const cases = Object.fromEntries(['none', ...SOAK_FAULTS].map((name) => [name, 0])) as Record<SoakCase, number>;
  const misses: SoakMiss[] = [];
  const verdicts = { right: 0, wrong: 0, lost: 0 };
  let rateLimited = 0;
  const rateLimitedBy: Record<string, number> = {};
  let nextTag = 0;
  faults.reseed(plan.seed, plan.faultChance);

  const miss = (question: Question, shown: string) => {
    if (misses.length < MISSES_KEPT) {
      misses.push({ tag: question.tag, fault: question.planned.fault, expected: question.planned.expected, shown });
    }
  };

  function judge(question: Question, content: string): void {
    const right = content === question.planned.expected;
    if (!right) miss(question, content);
    question.settle(right ? 'right' : 'wrong');
  }

  const onCreate = (message: StoredMessage) => {
    const question =
      message.authorId === discord.botUser.id ? byQuestion.get(message.referencedMessageId ?? '') : undefined;
    if (!question || question.replyId !== undefined) return;
    question.replyId = message.id;
    byReply.set(message.id, question);
    const { failedEdit } = question.planned;
    if (failedEdit) faults.failEditOf(message.id, failedEdit);
  };

  const onUpdate = (message: StoredMessage) => {
    const question = byReply.get(message.id);
    if (!question || question.deleted) return;
    question.shown = message.content;
    const streaming = discord.buttonsOf(message.id).some((id) => id.startsWith('streamcord:stop:'));
    if (!streaming) return judge(question, message.content);
    if (question.planned.fault === 'reply deleted' && message.content !== PLACEHOLDER) {
      question.deleted = true;
      discord.deleteMessage(message.id);
      if (question.streamClosed) question.settle('right');
    }
  };

  const onRequest = (request: RecordedAnthropicRequest) => {
    const prompt = request.body.messages.at(-1)?.content;
    const question = typeof prompt === 'string' ? byTag.get(tagOf(prompt) ?? -1) : undefined;
    if (!question) return;
    question.requestIndex = request.index;
    byRequest.set(request.index, question);
  };

  const onRateLimited = (request: RecordedRequest) => {
    const kind = `${request.route ?? request.path} (${request.headers['X-RateLimit-Scope'] ?? '?'})`;
    rateLimitedBy[kind] = (rateLimitedBy[kind] ?? 0) + 1;
  };

  const onClosed = ({ index }: { index: number }) => {
    const question = byRequest.get(index);
    if (!question) return;
    question.streamClosed = true;
    if (question.deleted) question.settle('right');
  };

  function ask(channelIndex: number): Promise<void> {
    const tag = nextTag++;
    const planned = faults.plan(tag);
    cases[planned.fault] += 1;
    const content = `<@${discord.botUser.id}> ${questionText(tag)}`;
    // The bot hears of the question over the gateway, later: everything below is in place by then.
    const asked = discord.userSays({ channelId: discord.channelId(channelIndex), content });
    return new Promise((resolve) => {
      let settled = false;
      const question: Question = {
        tag,
        planned,
        questionId: asked.id,
        replyId: undefined,
        requestIndex: undefined,
        streamClosed: false,
        deleted: false,
        shown: '',
        settle(verdict) {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (verdict === 'lost') miss(question, question.shown);
          verdicts[verdict] += 1;
          forget(question);
          resolve();
        },
      };
      const timer = setTimeout(() => question.settle('lost'), plan.answerTimeoutMs);
      byTag.set(tag, question);
      byQuestion.set(asked.id, question);
    });
  }

  function forget(question: Question): void {
    byQuestion.delete(question.questionId);
    byTag.delete(question.tag);
    if (question.replyId !== undefined) byReply.delete(question.replyId);
    if (question.requestIndex !== undefined) byRequest.delete(question.requestIndex);
    faults.forget(question.tag, question.replyId);
  }

  const clearRecords = () => {
    rateLimited += discord.rateLimitCount;
    discord.clearRecords();
  };
  const clearing = setInterval(clearRecords, CLEAR_RECORDS_EVERY_MS);
  discord.events.on('messageCreate', onCreate);
  discord.events.on('messageUpdate', onUpdate);
  discord.events.on('rateLimited', onRateLimited);
  anthropic.events.on('request', onRequest);
  anthropic.events.on('clientClosed', onClosed);
  try {
    const endAt = performance.now() + plan.durationMs;
    const channelLoop = async (channelIndex: number) => {
      while (performance.now() < endAt) await ask(channelIndex);
    };
    await Promise.all(Array.from({ length: plan.channels }, (_, index) => channelLoop(index)));
  } finally {
    clearInterval(clearing);
    clearRecords();
    discord.events.off('messageCreate', onCreate);
    discord.events.off('messageUpdate', onUpdate);
    discord.events.off('rateLimited', onRateLimited);
    anthropic.events.off('request', onRequest);
    anthropic.events.off('clientClosed', onClosed);
  }
  const { injected500s } = faults;
  return { asked: nextTag, cases, ...verdicts, misses, rateLimited, rateLimitedBy, injected500s };
}
