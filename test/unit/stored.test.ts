// The background's storage.local records: validated on read, migrated in order, never trusted blind.
import { describe, expect, it } from 'vitest';
import type { SyncState } from '../../src/core/messages.ts';
import { MIGRATIONS, readStored, STORED_VERSION, VERSION_KEY } from '../../src/core/stored.ts';

const state: SyncState = {
  url: 'https://lists.example.org/IT.json',
  lastAttempt: '2026-11-28T10:00:00Z',
  lastSuccess: '2026-11-28T10:00:00Z',
  lastOutcome: 'installed',
  lastError: null,
  failures: 0,
  nextSync: '2026-11-28T11:00:00Z',
  etag: '"v7"',
  lastModified: null,
  lastChange: null,
  deltaFallback: null,
};

const applied = {
  fingerprint: '[3]',
  appliedAt: '2026-11-28T10:00:00Z',
  ruleCount: 2,
  blockedHosts: 10,
  mode: 'full',
  domainsWritten: 10,
  errors: [],
  limitations: [],
  ruleOrders: { '1000': ['agcom-copyright'] },
};

describe('stored records', () => {
  it('one migration per version, in order', () => {
    expect(MIGRATIONS).toHaveLength(STORED_VERSION);
  });

  it('a first start has nothing to read and stamps the version', () => {
    const r = readStored({});
    expect(r).toMatchObject({ applied: null, sync: {}, dropped: [] });
    expect(r.writes).toEqual({ [VERSION_KEY]: STORED_VERSION });
  });

  it('records written before versioning are migrated: a sync state gains deltaFallback and is written back', () => {
    const { deltaFallback: _, ...old } = state;
    const r = readStored({ sync: { IT: old }, applied });
    expect(r.sync['IT']).toEqual(state);
    expect(r.applied).toEqual(applied);
    expect(r.writes).toEqual({ [VERSION_KEY]: STORED_VERSION, sync: { IT: state } });
    expect(r.dropped).toEqual([]);
  });

  it('current records are read as they are and nothing is written', () => {
    const r = readStored({ [VERSION_KEY]: STORED_VERSION, sync: { IT: state }, applied, settings: { blockSubresources: false } });
    expect(r.writes).toEqual({});
    expect(r.sync).toEqual({ IT: state });
    expect(r.settings).toEqual({ blockSubresources: false });
  });

  it('an invalid record is dropped, not trusted; valid ones beside it are kept', () => {
    const r = readStored({
      [VERSION_KEY]: STORED_VERSION,
      applied: { ...applied, ruleCount: -1 },
      sync: { IT: state, DE: { ...state, lastError: { at: 'x', reason: 'made-up', message: 'm' } }, CZ: 'junk' },
    });
    expect(r.applied).toBeNull();
    expect(Object.keys(r.sync)).toEqual(['IT']);
    expect(r.dropped).toEqual(['applied', 'sync.DE', 'sync.CZ']);
    expect(readStored({ [VERSION_KEY]: STORED_VERSION, sync: 'junk' }).dropped).toEqual(['sync']);
  });

  it('records of a newer version (a downgrade) are validated and not rewritten', () => {
    const r = readStored({ [VERSION_KEY]: STORED_VERSION + 1, sync: { IT: state } });
    expect(r.writes).toEqual({});
    expect(r.sync['IT']).toEqual(state);
  });
});
