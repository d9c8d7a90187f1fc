// What every command shares: the I/O seam, the one-line user error, and argument and file helpers.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseFeed, type Feed } from '../../core/feed.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** A failure the user can act on: printed as one line, exit code attached. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = 1,
  ) {
    super(message);
  }
}

export const usage = (msg: string) => new CliError(`${msg} (see --help)`, 2);

export const SIGNING_ENV = 'ORDINANZA_SIGNING_KEY';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw usage((e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

export function positionals(p: string[], names: string[]): string[] {
  if (p.length < names.length) throw usage(`missing ${names.slice(p.length).join(' and ')}`);
  if (p.length > names.length) throw usage(`unexpected argument "${p[names.length]}"`);
  return p;
}

export function readFile(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

export function loadFeed(path: string): Feed {
  const r = parseFeed(readFile(path, 'feed'));
  if (!r.ok) throw new CliError(`${path}: invalid feed: ${r.errors.join('; ')}`);
  return r.feed;
}

export function writeFile(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
  }
}
