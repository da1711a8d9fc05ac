import type { DeltaMark, FakeAnthropic, RecordedAnthropicRequest } from '../test/fakes/fake-anthropic.js';
import type { FakeDiscord, RecordedRequest } from '../test/fakes/fake-discord.js';
import { questionText, tagOf } from './answer-text.js';
import type { AnswerTimeline } from './fakes-protocol.js';

// Runs inside the fakes process and ties everything that happens on either fake to the answer it
// belongs to: the question's MESSAGE_CREATE, the model request (by the tag in its prompt), every
// delta, and each REST request on the reply (its POST by message_reference, edits by message id).

const CHANNEL_MESSAGES = /^\/channels\/\d+\/messages$/;
const CHANNEL_MESSAGE = /^\/channels\/\d+\/messages\/(\d+)$/;

export class AnswerRecorder {
  readonly #discord: FakeDiscord;
  readonly #answer: string;
  readonly #byTag = new Map<number, AnswerTimeline>();
  readonly #byStream = new Map<number, AnswerTimeline>();
  readonly #byQuestion = new Map<string, AnswerTimeline>();
  readonly #byReply = new Map<string, AnswerTimeline>();
  readonly #listeners = new Set<() => void>();
  #nextTag = 0;

  constructor(discord: FakeDiscord, answer: string) {
    this.#discord = discord;
    this.#answer = answer;
    discord.events.on('request', (request) => this.#onRestRequest(request));
  }

  /** Follows the model's requests and marks; pass `onDelta` to the fake Anthropic too. */
  watchModel(anthropic: FakeAnthropic): void {
    anthropic.events.on('request', (request) => this.#onModelRequest(request));
    anthropic.events.on('firstDelta', ({ index, at }) => this.#mark(index, (answer) => (answer.firstDeltaAt = at)));
    anthropic.events.on('messageStop', ({ index, at }) => this.#mark(index, (answer) => (answer.stopAt = at)));
  }

  /** For the fake Anthropic's `onDelta`. */
  onDelta(mark: DeltaMark): void {
    const answer = this.#byStream.get(mark.index);
    answer?.deltaAt.push(mark.at);
    answer?.deltaChars.push(mark.chars);
  }

  /** A human asks in guild channel `channelIndex`. */
  ask(channelIndex: number): AnswerTimeline {
    const tag = this.#nextTag++;
    const content = `<@${this.#discord.botUser.id}> ${questionText(tag)}`;
    const channelId = this.#discord.channelId(channelIndex);
    const answer: AnswerTimeline = {
      tag,
      channelIndex,
      answerChars: this.#answer.length,
      mentionAt: performance.now(),
      requestAt: null,
      firstDeltaAt: null,
      stopAt: null,
      deltaAt: [],
      deltaChars: [],
      writes: [],
      completeAt: null,
      givenUpAt: null,
    };
    this.#byTag.set(tag, answer);
    const question = this.#discord.userSays({ channelId, content });
    this.#byQuestion.set(question.id, answer);
    return answer;
  }

  /** Called after anything about an answer changed. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #onModelRequest(request: RecordedAnthropicRequest): void {
    const tag = tagOf(lastPrompt(request));
    const answer = tag === undefined ? undefined : this.#byTag.get(tag);
    if (answer === undefined) return;
    answer.requestAt = request.at;
    this.#byStream.set(request.index, answer);
  }

  #mark(index: number, apply: (answer: AnswerTimeline) => void): void {
    const answer = this.#byStream.get(index);
    if (answer === undefined) return;
    apply(answer);
    this.#changed();
  }

  #onRestRequest(request: RecordedRequest): void {
    const answer = this.#answerOf(request);
    if (answer === undefined) return;
    const visibleChars = request.status === 200 ? this.#visibleAfter(answer, contentOf(request.body)) : 0;
    const { method, at, respondedAt, status } = request;
    answer.writes.push({ method, at, respondedAt, status, visibleChars });
    if (request.method === 'POST' && status === 200) {
      const replyId = idOf(request.responseBody);
      if (replyId !== undefined) this.#byReply.set(replyId, answer);
    }
    if (answer.completeAt === null && visibleChars >= this.#answer.length) answer.completeAt = at;
    this.#changed();
  }

  #answerOf(request: RecordedRequest): AnswerTimeline | undefined {
    if (request.method === 'POST' && CHANNEL_MESSAGES.test(request.path)) {
      const questionId = referencedId(request.body);
      return questionId === undefined ? undefined : this.#byQuestion.get(questionId);
    }
    const messageId = request.method === 'PATCH' ? CHANNEL_MESSAGE.exec(request.path)?.[1] : undefined;
    return messageId === undefined ? undefined : this.#byReply.get(messageId);
  }

  /** How much of the answer `content` shows: the length of their common start. */
  #visibleAfter(answer: AnswerTimeline, content: string | undefined): number {
    // An edit without content (components only) leaves the text as it was.
    if (content === undefined) return answer.writes.findLast((write) => write.status === 200)?.visibleChars ?? 0;
    return commonStart(content, this.#answer);
  }
}

function commonStart(content: string, answer: string): number {
  const end = Math.min(content.length, answer.length);
  let index = 0;
  while (index < end && content.charCodeAt(index) === answer.charCodeAt(index)) index += 1;
  return index;
}

function lastPrompt(request: RecordedAnthropicRequest): string {
  const content = request.body.messages.at(-1)?.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((block) => (typeof block['text'] === 'string' ? block['text'] : '')).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function contentOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body['content'] === 'string' ? body['content'] : undefined;
}

function idOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body['id'] === 'string' ? body['id'] : undefined;
}

function referencedId(body: unknown): string | undefined {
  const reference = isRecord(body) ? body['message_reference'] : undefined;
  return isRecord(reference) && typeof reference['message_id'] === 'string' ? reference['message_id'] : undefined;
}
