/**
 * Just enough of Dockerfile and .dockerignore semantics to check the image recipe without a
 * container engine: stages and their instructions, and which context paths the build sees.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Instruction {
  readonly op: string;
  readonly args: string;
}

export interface Stage {
  readonly base: string;
  readonly name: string | undefined;
  /** FROM's --platform, when given. */
  readonly platform: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  readonly args: ReadonlyMap<string, string>;
  readonly stages: readonly Stage[];
}

/** Joins continuation lines, drops comments and parses FROM/ARG into stages. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: { base: string; name: string | undefined; platform: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const [op = '', ...rest] = line.split(/\s+/);
    const instruction = { op: op.toUpperCase(), args: rest.join(' ') };
    if (instruction.op === 'FROM') {
      const from = /^(?:--platform=(\S+)\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      stages.push({ base: from?.[2] ?? '', name: from?.[3], platform: from?.[1], instructions: [] });
    } else if (stages.length === 0 && instruction.op === 'ARG') {
      const [name = '', value = ''] = instruction.args.split('=');
      args.set(name, value);
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

export interface Copy {
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly destination: string;
}

/** The COPY instructions of a stage. */
export function copies(stage: Stage): Copy[] {
  return stage.instructions.filter((i) => i.op === 'COPY').map((i) => {
    const words = i.args.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const paths = words.filter((w) => !w.startsWith('--'));
    return { from, sources: paths.slice(0, -1), destination: paths[paths.length - 1] ?? '' };
  });
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i] ?? '';
    if (glob.startsWith('**/', i)) { out += '(?:.*/)?'; i += 2; }
    else if (glob.startsWith('**', i)) { out += '.*'; i += 1; }
    else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** .dockerignore: the last matching pattern wins; a pattern matching a parent matches its files. */
export function dockerIgnore(file: string): (relative: string) => boolean {
  const rules = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => ({ exclude: !l.startsWith('!'), re: globToRegExp(path.posix.normalize(l.replace(/^!/, '')).replace(/\/$/, '')) }));
  return (relative) => {
    const parts = relative.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((p) => rule.re.test(p))) ignored = rule.exclude;
    return ignored;
  };
}

/** The stage named `name`. */
export function stage(df: Dockerfile, name: string): Stage {
  const found = df.stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
}

/** The stage's WORKDIR (the last one), or `/`. */
export function workdir(s: Stage): string {
  return s.instructions.filter((i) => i.op === 'WORKDIR').map((i) => i.args).pop() ?? '/';
}

/** Absolute path in the image of what the runtime stage copies from stage `from` (its one COPY). */
export function imagePathFrom(df: Dockerfile, from: string): string {
  const runtime = df.stages[df.stages.length - 1];
  const found = runtime === undefined ? [] : copies(runtime).filter((c) => c.from === from);
  const [copy] = found;
  const [source] = copy?.sources ?? [];
  if (runtime === undefined || copy === undefined || source === undefined || found.length !== 1 || copy.sources.length !== 1) {
    throw new Error(`the runtime stage has no single COPY --from=${from} of one source`);
  }
  const destination = copy.destination.endsWith('/') ? path.posix.join(copy.destination, path.posix.basename(source)) : copy.destination;
  return path.posix.resolve(workdir(runtime), destination);
}
