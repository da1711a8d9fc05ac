// Which models take adaptive thinking (`thinking: {type: 'adaptive'}`): Claude decides when and how
// much to think. Anthropic introduced it with Claude Opus 4.6 and Sonnet 4.6; every later model takes
// it (Opus 4.7 and newer take nothing else), and on 4.6 the fixed budget is deprecated. Older models
// (Sonnet 4.5, Opus 4.5, Haiku 4.5, the Claude 3 family) only know `{type: 'enabled', budget_tokens}`.

// `claude-<family>-<major>[-<minor>]`, also inside a provider's id (`anthropic.claude-opus-4-6-v1`)
// or with a dot (`claude-opus-4.6`). The minor has one or two digits, so a date suffix such as
// `claude-sonnet-4-20250514` is not read as one. The Claude 3 names (`claude-3-7-sonnet-…`) put the
// version first and never match.
const MODEL_VERSION = /claude-[a-z]+-(\d+)(?:[-.](\d{1,2})(?!\d))?/;

/** True when `model` takes adaptive thinking; false for older models and names we cannot read. */
export function supportsAdaptiveThinking(model: string): boolean {
  const match = MODEL_VERSION.exec(model.toLowerCase());
  if (match === null) return false;
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  return major > 4 || (major === 4 && minor >= 6);
}
