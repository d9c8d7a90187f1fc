// What the engine's tests share: the in-memory platform reset in place, a worker start, and the
// embedded Italian feed. Each test file still mocks src/platform itself (vi.mock is per file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/background/engine.ts';
import { loadStored } from '../../src/background/settings.ts';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { FakePlatform, platform } from './fake-platform.ts';
import { REPO_ROOT } from './paths.ts';

/** The mocked modules hold the fake from the first import: its state is reset in place. */
export function freshPlatform(): FakePlatform {
  const fake = platform.current;
  Object.assign(fake, new FakePlatform());
  fake.stubFetch();
  return fake;
}

/** A worker start: a new engine on the same (persisted) platform state. */
export async function startEngine(): Promise<Engine> {
  const e = new Engine();
  await e.init(await loadStored());
  await e.loadOthers();
  return e;
}

export function embeddedItalianFeed(): Feed {
  const r = parseFeed(new Uint8Array(readFileSync(join(REPO_ROOT, 'extension/feeds/IT.json'))));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.feed;
}
