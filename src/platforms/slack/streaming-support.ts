// Whether this app may stream natively (chat.startStream), learnt once per workspace: the first
// refusal (feature_not_enabled, unknown_method, method_deprecated) switches that workspace's answers
// to post-and-update for the life of the process.

export type StreamingState = 'untried' | 'available' | 'refused';

export interface StreamingSupport {
  state(teamId: string): StreamingState;
  worked(teamId: string): void;
  refused(teamId: string): void;
}

export function createStreamingSupport(): StreamingSupport {
  const states = new Map<string, StreamingState>();
  return {
    state: (teamId) => states.get(teamId) ?? 'untried',
    worked: (teamId) => void states.set(teamId, 'available'),
    refused: (teamId) => void states.set(teamId, 'refused'),
  };
}
