// An update's overlay rules are enforced from the session rules at once and written to the dynamic
// rules after (src/background/session-overlay.ts). Proven here on the fake platform: what is enforced
// before and after the write, a browser restart before it, a worker stopped before it, and updates
// that find the overlay not yet written. Enforcement itself is proven in the browsers (test/e2e/sync).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OVERLAY_IDS, type DnrRule } from '../../src/core/compiler.ts';
import { freshPlatform, later, normalized, startEngine } from '../support/engine-setup.ts';
import type { FakePlatform } from '../support/fake-platform.ts';

vi.mock('../../src/platform/browser.ts', async () => (await import('../support/fake-platform.ts')).platform.current.browserModule());
vi.mock('../../src/platform/idb.ts', async () => (await import('../support/fake-platform.ts')).platform.current.idbModule());

const GAMBLING = '1-casinosenligne.com';
const COURT = 'kickasstorrents.to';
const ADDED = ['nuovo-sito-pirata.example', 'altro.nuovo-sito.example'];

const overlayIn = (rules: readonly DnrRule[]): number[] => rules.filter((r) => OVERLAY_IDS.includes(r.id)).map((r) => r.id);

let fake: FakePlatform;

beforeEach(async () => {
  fake = await freshPlatform();
});

describe('an overlay in the session rules', () => {
  it('is enforced before the dynamic rules change, then written there and taken out of the session', async () => {
    const engine = await startEngine();
    const before = structuredClone(fake.rules);
    await engine.installFeed(later(1, [GAMBLING], ADDED), 'remote');
    // Enforced at once: the dynamic rules are as before, the session's add and lift.
    expect(fake.rules).toEqual(before);
    expect(overlayIn(fake.sessionRules).length).toBeGreaterThan(0);
    expect(fake.blocks(ADDED[0] as string)).toBe(true);
    expect(fake.blocks(`www.${ADDED[1]}`)).toBe(true);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.blocks(COURT)).toBe(true);
    expect(engine.status({}).rules.sessionOverlay).toBe(true);

    await engine.settled();
    expect(fake.sessionRules).toEqual([]);
    expect(normalized(fake.rules.filter((r) => OVERLAY_IDS.includes(r.id)))).toEqual(normalized((fake.idb.get('overlay-rules') as { rules: DnrRule[] }).rules));
    expect(fake.blocks(ADDED[0] as string)).toBe(true);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(engine.status({}).rules.sessionOverlay).toBe(false);
  });

  it('survives a browser restart before it is written: back in the session rules at start, then written', async () => {
    const engine = await startEngine();
    fake.failNextDynamic = 'the worker stopped';
    await engine.installFeed(later(1, [GAMBLING], ADDED), 'remote');
    await engine.settled();
    expect(fake.local.get('applied')).toMatchObject({ sessionOverlay: true });
    fake.restartBrowser();
    expect(fake.blocks(ADDED[0] as string)).toBe(false);
    // The restarted worker puts the overlay back before it writes it; the write is held up once more
    // so that what the start alone does shows.
    fake.failNextDynamic = 'the worker stopped again';
    fake.writes = [];
    const restarted = await startEngine();
    expect(fake.writes).toEqual(['session']);
    expect(fake.blocks(ADDED[0] as string)).toBe(true);
    expect(fake.blocks(GAMBLING)).toBe(false);
    fake.restartBrowser();
    const third = await startEngine();
    await third.settled();
    expect(fake.sessionRules).toEqual([]);
    expect(fake.blocks(ADDED[0] as string)).toBe(true);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(restarted.status({}).rules.sessionOverlay).toBe(true);
    expect(third.status({}).rules.sessionOverlay).toBe(false);
  });

  it('a second update before the first overlay is written reaches the rules of two written updates', async () => {
    const run = async (held: boolean): Promise<DnrRule[]> => {
      fake = await freshPlatform();
      const engine = await startEngine();
      if (held) fake.failNextDynamic = 'the worker stopped';
      await engine.installFeed(later(1, [GAMBLING], ADDED), 'remote');
      await engine.settled();
      // A host the first update added is dropped again, a removed one comes back.
      await engine.installFeed(later(2, [COURT], ADDED.slice(1)), 'remote');
      // Until the write lands, the first overlay, where the dynamic rules hold it, does what it did.
      expect(fake.blocks(ADDED[0] as string)).toBe(!held);
      expect(fake.blocks(GAMBLING)).toBe(held);
      expect(fake.blocks(COURT)).toBe(false);
      expect(fake.blocks(ADDED[1] as string)).toBe(true);
      await engine.settled();
      expect(fake.blocks(ADDED[0] as string)).toBe(false);
      expect(fake.blocks(GAMBLING)).toBe(true);
      expect(fake.blocks(COURT)).toBe(false);
      expect(fake.sessionRules).toEqual([]);
      return normalized(fake.rules);
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('a rebuild while the overlay is not yet written leaves no overlay of either in the rules', async () => {
    const engine = await startEngine();
    fake.failNextDynamic = 'the worker stopped';
    await engine.installFeed(later(1, [GAMBLING], ADDED), 'remote');
    await engine.settled();
    // Another rule shape: a full compile.
    expect(await engine.updateSettings({ blockSubresources: false })).toEqual({ ok: true, syncDue: false });
    await engine.settled();
    expect(fake.local.get('applied')).toMatchObject({ mode: 'full', sessionOverlay: false });
    expect(overlayIn(fake.rules)).toEqual([]);
    expect(fake.sessionRules).toEqual([]);
    expect(fake.blocks(ADDED[0] as string)).toBe(true);
    expect(fake.blocks(GAMBLING)).toBe(false);
  });

  it('a lost copy of the overlay at start: the rules are reconciled with what the browser holds', async () => {
    const engine = await startEngine();
    fake.failNextDynamic = 'the worker stopped';
    await engine.installFeed(later(1, [GAMBLING], ADDED), 'remote');
    await engine.settled();
    fake.restartBrowser();
    fake.idb.delete('overlay-rules');
    const restarted = await startEngine();
    await restarted.settled();
    expect(fake.sessionRules).toEqual([]);
    expect(fake.blocks(ADDED[0] as string)).toBe(true);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(restarted.status({}).rules.sessionOverlay).toBe(false);
  });
});
