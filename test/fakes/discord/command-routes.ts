import { validateCommands } from './command-validation.js';
import { missingAccess, unknownGuild } from './errors.js';
import { ok, param, type RouteContext, type RouteDefinition, type RouteResponse } from './router.js';

/**
 * Application-command registration: GET and PUT of the global set and of a guild's set.
 * discord.js's `client.application.commands.set()` and `rest.put(Routes.applicationGuildCommands())`
 * land here.
 */
export const COMMAND_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', pattern: '/applications/:applicationId/commands', handle: getCommands },
  { method: 'PUT', pattern: '/applications/:applicationId/commands', handle: putCommands },
  { method: 'GET', pattern: '/applications/:applicationId/guilds/:guildId/commands', handle: getCommands },
  { method: 'PUT', pattern: '/applications/:applicationId/guilds/:guildId/commands', handle: putCommands },
];

function getCommands(context: RouteContext): RouteResponse {
  return ok(context.services.world.commands.read(commandScope(context)));
}

function putCommands(context: RouteContext): RouteResponse {
  const guildId = commandScope(context);
  const { world, publish } = context.services;
  const commands = world.commands.replace(guildId, validateCommands(context.body));
  publish.commandsRegistered({ guildId, commands: structuredClone(commands) });
  return ok(commands);
}

/** The guild a request is about (undefined: global), after checking the application and guild exist. */
function commandScope({ params, services: { world } }: RouteContext): string | undefined {
  // A bot token can only manage its own application's commands.
  if (param(params, 'applicationId') !== world.applicationId) throw missingAccess();
  const guildId = params['guildId'];
  if (guildId !== undefined && !world.hasGuild(guildId)) throw unknownGuild();
  return guildId;
}
