// ordinanza-feed diff and stats: read-only reports on feeds, as text or JSON.
import { resolve } from 'node:path';
import { diffFeeds, formatDiff } from '../diff.ts';
import { feedStats, formatStats } from '../stats.ts';
import { HELP } from './help.ts';
import { loadFeed, parse, positionals, type CliIo } from './shared.ts';

export async function cmdDiff(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { json: { type: 'boolean' } });
  if (values.help) {
    io.out(HELP.diff ?? '');
    return 0;
  }
  const [a = '', b = ''] = positionals(pos, ['OLD', 'NEW']);
  const d = diffFeeds(loadFeed(resolve(io.cwd, a)), loadFeed(resolve(io.cwd, b)));
  io.out(values.json ? `${JSON.stringify(d, null, 1)}\n` : formatDiff(d));
  return 0;
}

export async function cmdStats(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { json: { type: 'boolean' } });
  if (values.help) {
    io.out(HELP.stats ?? '');
    return 0;
  }
  const [path = ''] = positionals(pos, ['FEED']);
  const s = feedStats(loadFeed(resolve(io.cwd, path)));
  io.out(values.json ? `${JSON.stringify(s, null, 1)}\n` : formatStats(s));
  return 0;
}
