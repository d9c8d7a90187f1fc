// A delta's feed compiled from the delta's hosts alone (src/background/change-compile.ts): the engine
// must reach the rules the walking compile reaches, over two deltas with a worker restart between
// them (the overlay's hosts and the base's nested hosts come from the database then), and fall back
// to walking when a copy it needs is gone.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DnrRule } from '../../src/core/compiler.ts';
import type { Feed } from '../../src/core/feed.ts';
import { applyDeltaToIndex, makeDelta } from '../../src/core/sync.ts';
import type { Engine } from '../../src/background/engine.ts';
import { embeddedItalianFeed, freshPlatform, later, normalized, startEngine } from '../support/engine-setup.ts';
import type { FakePlatform } from '../support/fake-platform.ts';

vi.mock('../../src/platform/browser.ts', async () => (await import('../support/fake-platform.ts')).platform.current.browserModule());
vi.mock('../../src/platform/idb.ts', async () => (await import('../support/fake-platform.ts')).platform.current.idbModule());

const all = embeddedItalianFeed().entries.flatMap((g) => g.hosts);
const listed = new Set(all);
// A listed host with a listed child: removing it lifts it, and the child must stay blocked.
const PARENT = all.find((h) => listed.has(`www.${h}`)) as string;
const GAMBLING = '1-casinosenligne.com';
const ADDED = ['nuovo-sito-pirata.example', `nuovo.${PARENT}`];

let fake: FakePlatform;
beforeEach(async () => {
  fake = await freshPlatform();
});

/** Installs `next` as a sync would: from a delta applied to the installed index, or as a full feed. */
async function install(engine: Engine, prev: Feed, next: Feed, asDelta: boolean): Promise<boolean | undefined> {
  if (!asDelta) await engine.installFeed(next, 'remote');
  else {
    const installed = engine.installed('IT');
    if (!installed) throw new Error('nothing installed');
    const r = await applyDeltaToIndex(installed, await makeDelta(prev, next));
    if (!r.ok) throw new Error(r.message);
    await engine.installFeed(r.feed, 'remote');
  }
  await engine.settled();
  return engine.lastApply?.fromChange;
}

/** Two updates with a worker restart between them; `beforeSecond` runs before the second. */
async function twoUpdates(asDelta: boolean, beforeSecond: () => void = () => undefined): Promise<{ rules: DnrRule[]; fromChange: (boolean | undefined)[] }> {
  const first = later(1, [GAMBLING, PARENT], ADDED);
  const second = later(2, [GAMBLING, PARENT, `www.${PARENT}`], ADDED.slice(1));
  const a = await install(await startEngine(), embeddedItalianFeed(), first, asDelta);
  beforeSecond();
  const b = await install(await startEngine(), first, second, asDelta);
  return { rules: normalized(fake.rules), fromChange: [a, b] };
}

describe('an update from a delta', () => {
  it('is compiled from its hosts alone, also after a worker restart, reaching the walking compile’s rules', async () => {
    expect(PARENT).toBeDefined();
    const fromDelta = await twoUpdates(true);
    expect(fromDelta.fromChange).toEqual([true, true]);
    expect(fake.blocks(PARENT)).toBe(false);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.blocks(`www.${PARENT}`)).toBe(false);
    expect(fake.blocks(ADDED[0] as string)).toBe(false);
    expect(fake.blocks(ADDED[1] as string)).toBe(true);
    fake = await freshPlatform();
    const walked = await twoUpdates(false);
    expect(walked.fromChange).toEqual([false, false]);
    expect(fromDelta.rules).toEqual(walked.rules);
  });

  it('keeps a listed child of a lifted host blocked', async () => {
    const engine = await startEngine();
    expect(await install(engine, embeddedItalianFeed(), later(1, [PARENT]), true)).toBe(true);
    expect(fake.blocks(PARENT)).toBe(false);
    expect(fake.blocks(`www.${PARENT}`)).toBe(true);
  });

  it('reads every nested host of a copy kept without its groups (an earlier build), to the same rules', async () => {
    const fromDelta = await twoUpdates(true);
    fake = await freshPlatform();
    const ungrouped = await twoUpdates(true, () => {
      const copy = fake.idb.get('base-nested') as { starts?: unknown };
      expect(copy.starts).toBeInstanceOf(Uint32Array);
      delete copy.starts;
    });
    expect(ungrouped.fromChange).toEqual([true, true]);
    expect(ungrouped.rules).toEqual(fromDelta.rules);
  });

  it('is walked when the base’s nested hosts or the overlay’s hosts are gone, to the same rules', async () => {
    const fromDelta = await twoUpdates(true);
    for (const key of ['base-nested', 'overlay-rules']) {
      fake = await freshPlatform();
      const lost = await twoUpdates(true, () => fake.idb.delete(key));
      expect(lost.fromChange).toEqual([true, false]);
      expect(lost.rules).toEqual(fromDelta.rules);
    }
  });
});
