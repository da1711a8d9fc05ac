import { ComponentType } from 'discord.js';
import { invalidFormBodyErrors, type LocatedFieldError } from './errors.js';
import { isRecord } from './message-body.js';

/**
 * The buttons on a message, wherever its layout puts them: in action rows (classic messages) or,
 * with components v2, in containers and as section accessories. The stored components are client
 * input, so they are walked as unknown JSON rather than trusted to match discord-api-types.
 */

export interface ButtonOnMessage {
  readonly customId: string;
  readonly disabled: boolean;
  /** Where it sits in the body, e.g. ['components', '0', 'components', '1'], for error paths. */
  readonly path: readonly string[];
}

/** Every button that has a custom_id (link and premium buttons have none: they cannot be pressed by the app). */
export function buttonsIn(components: readonly unknown[]): ButtonOnMessage[] {
  const found: ButtonOnMessage[] = [];
  components.forEach((component, index) => collect(component, ['components', String(index)], found));
  return found;
}

/**
 * Discord refuses a message whose components repeat a custom_id (the press could not say which
 * was meant), reporting every repeat at its place in the body.
 */
export function assertUniqueCustomIds(components: readonly unknown[]): void {
  const seen = new Set<string>();
  const errors: LocatedFieldError[] = [];
  for (const button of buttonsIn(components)) {
    if (seen.has(button.customId)) {
      errors.push({
        path: [...button.path, 'custom_id'],
        error: { code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' },
      });
    }
    seen.add(button.customId);
  }
  if (errors.length > 0) throw invalidFormBodyErrors(errors);
}

function collect(component: unknown, path: readonly string[], found: ButtonOnMessage[]): void {
  if (!isRecord(component)) return;
  const customId = component['custom_id'];
  if (component['type'] === ComponentType.Button && typeof customId === 'string') {
    found.push({ customId, disabled: component['disabled'] === true, path });
  }
  const children = component['components'];
  if (Array.isArray(children)) {
    children.forEach((child: unknown, index) => collect(child, [...path, 'components', String(index)], found));
  }
  // A section's accessory may be a button.
  collect(component['accessory'], [...path, 'accessory'], found);
}
