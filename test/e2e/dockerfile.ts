// What our Dockerfile tells Docker, read from the file itself, so that a test can do what the image
// does without a container engine: which files of the checkout the build uses, and the runtime
// stage's environment, health check and start command. It reads the forms our Dockerfile uses and
// refuses any other, rather than guessing.

export interface DockerImage {
  /** Files and folders of the build context that the build stages COPY. */
  readonly contextFiles: readonly string[];
  /** The runtime stage's `ENV` settings. */
  readonly env: Readonly<Record<string, string>>;
  /** The runtime stage's `HEALTHCHECK ... CMD [...]`. */
  readonly healthcheck: readonly string[];
  /** The runtime stage's `CMD [...]`. */
  readonly cmd: readonly string[];
}

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export function readDockerfile(text: string): DockerImage {
  const stages = splitStages(instructions(text));
  const runtime = stages.at(-1) ?? [];
  return {
    contextFiles: stages.slice(0, -1).flat().flatMap(copiedFromContext),
    env: Object.fromEntries(runtime.filter((step) => step.keyword === 'ENV').map((step) => envSetting(step.args))),
    healthcheck: execForm(only(runtime, 'HEALTHCHECK').args.replace(/^.*?\bCMD\s+/, '')),
    cmd: execForm(only(runtime, 'CMD').args),
  };
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
      return { keyword: keyword.toUpperCase(), args };
    });
}

function splitStages(steps: readonly Instruction[]): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const step of steps) {
    if (step.keyword === 'FROM') stages.push([]);
    else stages.at(-1)?.push(step);
  }
  return stages;
}

function copiedFromContext(step: Instruction): string[] {
  if (step.keyword !== 'COPY' || step.args.includes('--from=')) return [];
  const paths = step.args.split(/\s+/).filter((word) => !word.startsWith('--'));
  return paths.slice(0, -1);
}

function envSetting(args: string): [string, string] {
  const match = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(args);
  if (!match?.[1] || match[2] === undefined) throw new Error(`Dockerfile: write one ENV NAME=value per line: ${args}`);
  return [match[1], match[2]];
}

function only(steps: readonly Instruction[], keyword: string): Instruction {
  const found = steps.filter((step) => step.keyword === keyword);
  if (found.length !== 1) throw new Error(`Dockerfile: the runtime stage has ${found.length} ${keyword}`);
  return found[0] as Instruction;
}

/** `["node", "dist/src/index.js"]`: the exec form, which runs without a shell. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
    throw new Error(`Dockerfile: not an exec-form command: ${args}`);
  }
  return parsed;
}
