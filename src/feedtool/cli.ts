// ordinanza-feed: build, sign, verify, diff and count Ordinanza feeds. See docs/feed-format.md.
// Each command is a module of ./commands; this file dispatches and turns errors into exit codes.
import { BuildError } from './build.ts';
import { KeyError } from './keys.ts';
import { ManifestError } from './manifest.ts';
import { cmdBuild } from './commands/build.ts';
import { cmdDelta } from './commands/delta.ts';
import { HELP } from './commands/help.ts';
import { cmdDiff, cmdStats } from './commands/reports.ts';
import { CliError, usage, type CliIo } from './commands/shared.ts';
import { cmdKeygen, cmdVerify } from './commands/signatures.ts';

export type { CliIo };

const processIo = (): CliIo => ({
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
});

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  delta: cmdDelta,
  build: cmdBuild,
  keygen: cmdKeygen,
  verify: cmdVerify,
  diff: cmdDiff,
  stats: cmdStats,
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP.main ?? '');
      return command === undefined ? 2 : 0;
    }
    const run = COMMANDS[command];
    if (!run) throw usage(`unknown command "${command}"`);
    return await run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`ordinanza-feed: ${e.message}\n`);
      return e.code;
    }
    if (e instanceof BuildError || e instanceof ManifestError || e instanceof KeyError) {
      io.err(`ordinanza-feed: ${e.message}\n`);
      return 1;
    }
    io.err(`ordinanza-feed: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 70;
  }
}
