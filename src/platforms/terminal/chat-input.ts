// What a line typed into the chat asks for. A command is a slash and a word alone on the line, so a
// question that merely starts with a slash ("/etc/hosts is what?") still goes to Claude.

export type ChatInput =
  | { readonly kind: 'question'; readonly text: string }
  | { readonly kind: 'reset' }
  | { readonly kind: 'exit' }
  | { readonly kind: 'unknown'; readonly name: string }
  | { readonly kind: 'blank' };

const COMMAND = /^\/(\w+)$/;

export function parseInput(line: string): ChatInput {
  const text = line.trim();
  if (text === '') return { kind: 'blank' };
  const name = COMMAND.exec(text)?.[1]?.toLowerCase();
  switch (name) {
    case undefined:
      return { kind: 'question', text };
    case 'reset':
      return { kind: 'reset' };
    case 'exit':
    case 'quit':
      return { kind: 'exit' };
    default:
      return { kind: 'unknown', name };
  }
}
