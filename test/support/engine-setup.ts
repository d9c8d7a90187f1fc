// What the engine's tests share: the in-memory platform reset in place, a worker start, and the
// embedded Italian feed. Each test file still mocks src/platform itself (vi.mock is per file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/background/engine.ts';
import { loadStored } from '../../src/background/settings.ts';
import type { DnrRule } from '../../src/core/compiler.ts';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { FakePlatform, platform } from './fake-platform.ts';
import { REPO_ROOT } from './paths.ts';

/** The engines started since the last reset: their queued work (an overlay written after an update) ends before the next reset. */
const started: Engine[] = [];

/** The mocked modules hold the fake from the first import: its state is reset in place, once no engine of the test before still writes to it. */
export async function freshPlatform(): Promise<FakePlatform> {
  await Promise.all(started.splice(0).map((e) => e.settled()));
  const fake = platform.current;
  Object.assign(fake, new FakePlatform());
  fake.stubFetch();
  return fake;
}

/**
 * A worker start: a new engine on the same (persisted) platform state, once the engines before have
 * done their queued work (a worker stops when idle). A test of a worker stopped mid-way makes the
 * platform fail where it stops.
 */
export async function startEngine(): Promise<Engine> {
  await Promise.all(started.map((e) => e.settled()));
  const e = new Engine();
  started.push(e);
  await e.init(await loadStored());
  await e.loadOthers();
  return e;
}

export function embeddedItalianFeed(): Feed {
  const r = parseFeed(new Uint8Array(readFileSync(join(REPO_ROOT, 'extension/feeds/IT.json'))));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.feed;
}

/** The embedded feed `step` serials later, without `gone`, with `added` in its first group. */
export function later(step: number, gone: readonly string[], added: readonly string[] = []): Feed {
  const f = embeddedItalianFeed();
  const entries = f.entries.map((g, i) => ({ ...g, hosts: [...g.hosts.filter((h) => !gone.includes(h)), ...(i === 0 ? added : [])].sort() }));
  return { ...f, serial: f.serial + step, entries: entries.filter((g) => g.hosts.length > 0) };
}

/** The rules sorted by id, each rule's domains sorted (a rule's domains are a set). */
export function normalized(rules: readonly DnrRule[]): DnrRule[] {
  const sort = (l: string[] | undefined): string[] | undefined => l && [...l].sort();
  return [...rules]
    .sort((a, b) => a.id - b.id)
    .map((r) => ({ ...r, condition: { ...r.condition, requestDomains: sort(r.condition.requestDomains), excludedRequestDomains: sort(r.condition.excludedRequestDomains) } }));
}
