// Updates on a known base (src/background/rule-base.ts): the engine compiles an overlay from the feeds
// the base rules were compiled from and the overlay rules kept beside its record, and reads no rule
// back. The rules it reaches must be those of the compile that reads every rule back.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BASE_ID, type DnrRule } from '../../src/core/compiler.ts';
import { embeddedItalianFeed, freshPlatform, later, normalized, startEngine } from '../support/engine-setup.ts';
import type { FakePlatform } from '../support/fake-platform.ts';

vi.mock('../../src/platform/browser.ts', async () => (await import('../support/fake-platform.ts')).platform.current.browserModule());
vi.mock('../../src/platform/idb.ts', async () => (await import('../support/fake-platform.ts')).platform.current.idbModule());

const GAMBLING = '1-casinosenligne.com';
const COURT = 'kickasstorrents.to';
const ADDED = ['nuovo-sito-pirata.example', 'altro.nuovo-sito.example'];

const embeddedFeed = embeddedItalianFeed;

let fake: FakePlatform;

const start = startEngine;

const readsOnlyOverlay = (): boolean => fake.ruleReads.every((ids) => ids?.every((id) => id < BASE_ID) === true);

/** First start, then two updates with a worker restart between them; `beforeSecond` runs before the second update. */
async function twoUpdates(beforeSecond: () => void = () => undefined): Promise<DnrRule[]> {
  const engine = await start();
  fake.ruleReads = [];
  await engine.installFeed(later(1, [GAMBLING], ADDED), 'remote');
  await engine.settled();
  expect(readsOnlyOverlay()).toBe(true);
  beforeSecond();
  fake.ruleReads = [];
  const restarted = await start();
  await restarted.installFeed(later(2, [GAMBLING, COURT], ADDED.slice(1)), 'remote');
  await restarted.settled();
  return fake.rules;
}

beforeEach(async () => {
  fake = await freshPlatform();
});

describe('updates on a known base', () => {
  it('read no rule back, also after a worker restart (from the copies kept of the base feed and the overlay rules)', async () => {
    await twoUpdates();
    expect(fake.ruleReads).toEqual([]);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.blocks(COURT)).toBe(false);
    expect(fake.blocks(ADDED[0] as string)).toBe(false);
    expect(fake.blocks(ADDED[1] as string)).toBe(true);
    expect(fake.blocks('www.ilcorsaronero.pro')).toBe(true);
    // The base still stands: its copy of the first feed is kept.
    expect((fake.idb.get('base:IT') as { head: { serial: number } } | undefined)?.head.serial).toBe(embeddedFeed().serial);
  });

  it('reach the rules of the compile that reads every rule back', async () => {
    const known = normalized(await twoUpdates());
    fake = await freshPlatform();
    // The copy lost: the base is unknown, the rules are read back in full.
    const read = normalized(await twoUpdates(() => fake.idb.delete('base:IT')));
    expect(fake.ruleReads.some((ids) => ids?.some((id) => id >= BASE_ID))).toBe(true);
    expect(known).toEqual(read);
  });

  it('read back only the overlay rules when their copy is lost', async () => {
    const known = normalized(await twoUpdates());
    fake = await freshPlatform();
    const read = normalized(await twoUpdates(() => fake.idb.delete('overlay-rules')));
    expect(fake.ruleReads.length).toBeGreaterThan(0);
    expect(readsOnlyOverlay()).toBe(true);
    expect(known).toEqual(read);
  });

  it('follow a settings change on the known base as the read-back compile does', async () => {
    const run = async (lose: boolean): Promise<DnrRule[]> => {
      fake = await freshPlatform();
      const engine = await start();
      await engine.installFeed(later(1, [COURT], ADDED), 'remote');
      await engine.settled();
      if (lose) for (const k of ['base:IT', 'overlay-rules']) fake.idb.delete(k);
      fake.ruleReads = [];
      expect(await engine.updateSettings({ categories: { IT: { gambling: false } } })).toEqual({ ok: true, syncDue: false });
      expect(fake.ruleReads.length > 0).toBe(lose);
      expect(fake.blocks(GAMBLING)).toBe(false);
      expect(fake.blocks('www.ilcorsaronero.pro')).toBe(true);
      await engine.settled();
      return normalized(fake.rules);
    };
    expect(await run(false)).toEqual(await run(true));
  });

  it('keep the replaced base feed in memory until its copy is written, and write none for a base replaced meanwhile', async () => {
    const engine = await start();
    fake.ruleReads = [];
    await engine.installFeed(later(1, [GAMBLING]), 'remote');
    expect(fake.idb.has('base:IT')).toBe(false);
    // A second update before the copy is written: the base is still known, no rule read back.
    await engine.installFeed(later(2, [GAMBLING, COURT]), 'remote');
    expect(fake.ruleReads).toEqual([]);
    expect(engine.lastApply?.baseKnown).toBe(true);
    // A new base before the copy is written: the copy is not written at all.
    expect(await engine.updateSettings({ blockSubresources: false })).toEqual({ ok: true, syncDue: false });
    await engine.settled();
    expect(fake.idb.has('base:IT')).toBe(false);
    expect(fake.blocks(COURT)).toBe(false);
  });

  it('a rebuild makes a new base and drops the kept copy', async () => {
    const engine = await start();
    await engine.installFeed(later(1, [GAMBLING]), 'remote');
    await engine.settled();
    expect(fake.idb.has('base:IT')).toBe(true);
    // Another rule shape: the base cannot stay.
    expect(await engine.updateSettings({ blockSubresources: false })).toEqual({ ok: true, syncDue: false });
    expect(fake.idb.has('base:IT')).toBe(false);
    const applied = fake.local.get('applied') as { mode: string; base: { feeds: { serial: number }[] } };
    expect(applied.mode).toBe('full');
    expect(applied.base.feeds.map((f) => f.serial)).toEqual([embeddedFeed().serial + 1]);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.blocks(COURT)).toBe(true);
  });
});
