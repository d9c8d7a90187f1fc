import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, applyPatch, effectiveSettings, feedUrlProblem, readPolicy, readUserSettings } from '../../src/core/config.ts';

const key = { alg: 'Ed25519' as const, keyId: '0123456789abcdef', publicKey: 'AAAA' };
const key2 = { ...key, keyId: 'fedcba9876543210' };

describe('feed URLs', () => {
  it.each([
    ['https://lists.example.org/IT.json', null],
    ['http://127.0.0.1:8080/IT.json', null],
    ['http://localhost/IT.json', null],
    ['http://lists.example.org/IT.json', 'a feed URL must be https (plain http only for localhost)'],
    ['ftp://x/IT.json', 'a feed URL must be https (plain http only for localhost)'],
    ['https://user:pw@x.example/IT.json', 'a feed URL carries no credentials'],
    ['not a url', 'not a URL'],
  ])('%s', (url, problem) => expect(feedUrlProblem(url)).toBe(problem));
});

describe('settings', () => {
  it('fall back to defaults field by field', () => {
    expect(readUserSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    const s = readUserSettings({ blockSubresources: false, syncIntervalMinutes: 2, feedUrls: { IT: 'http://evil.example/x' } });
    expect(s.blockSubresources).toBe(false);
    expect(s.syncIntervalMinutes).toBe(30);
    expect(s.feedUrls).toEqual({});
  });

  it('policy wins key by key; its trusted keys replace the user`s', () => {
    const user = { ...DEFAULT_SETTINGS, blockSubresources: false, categories: { IT: { gambling: false, copyright: false } }, trustedKeys: [key2] };
    const { policy } = readPolicy({ categories: { IT: { gambling: true } }, syncIntervalMinutes: 60, trustedKeys: [key] });
    const eff = effectiveSettings(user, policy, []);
    expect(eff.categories).toEqual({ IT: { gambling: true, copyright: false } });
    expect(eff.syncIntervalMinutes).toBe(60);
    expect(eff.blockSubresources).toBe(false);
    // The user cannot edit a key the policy sets, so a key of theirs (one the organisation may have
    // dropped after a leak) must not stay trusted beside the policy's.
    expect(eff.allTrustedKeys.map((k) => k.keyId)).toEqual([key.keyId]);
    expect(eff.managed).toEqual(['categories', 'syncIntervalMinutes', 'trustedKeys']);
    expect(effectiveSettings(user, readPolicy({ syncIntervalMinutes: 60 }).policy, []).allTrustedKeys.map((k) => k.keyId)).toEqual([key2.keyId]);
    expect(effectiveSettings(user, policy, [key2]).releaseKeyIds).toEqual([key2.keyId]);
  });

  it('locked ignores the user settings and refuses changes', () => {
    const user = { ...DEFAULT_SETTINGS, jurisdictions: { IT: false }, trustedKeys: [key2] };
    const { policy } = readPolicy({ locked: true, feedUrls: { IT: 'https://lists.example.org/IT.json' } });
    const eff = effectiveSettings(user, policy, []);
    expect(eff.locked).toBe(true);
    expect(eff.jurisdictions).toEqual({ IT: true });
    expect(eff.allTrustedKeys).toEqual([]);
    expect(applyPatch(user, { jurisdictions: { IT: true } }, policy)).toEqual({ ok: false, code: 'locked', error: 'settings are locked by your organisation' });
  });

  it('reports and ignores invalid policy keys', () => {
    const { policy, errors } = readPolicy({ syncIntervalMinutes: 1, feedUrls: { IT: 'http://x.example/' }, unknown: 1 });
    expect(policy).toEqual({});
    expect(errors).toHaveLength(2);
  });

  it('reads the maps and the key list entry by entry: a bad entry is reported, the others apply', () => {
    const { policy, errors } = readPolicy({
      jurisdictions: { IT: true, de: true, CH: 'yes' },
      categories: { IT: { gambling: false, casinos: false, tobacco: 1 }, XYZ: {} },
      feedUrls: { IT: 'https://lists.example.org/IT.json', AT: 'http://intranet.example/AT.json' },
      trustedKeys: [key, { alg: 'RSA', keyId: 'x', publicKey: '' }],
    });
    expect(policy).toEqual({
      jurisdictions: { IT: true },
      categories: { IT: { gambling: false } },
      feedUrls: { IT: 'https://lists.example.org/IT.json' },
      trustedKeys: [key],
    });
    expect(errors.map((e) => e.replace(/ ignored: .*/, ''))).toEqual([
      'policy key "jurisdictions.de"',
      'policy key "jurisdictions.CH"',
      'policy key "categories.IT.casinos"',
      'policy key "categories.IT.tobacco"',
      'policy key "categories.XYZ"',
      'policy key "feedUrls.AT"',
      'policy key "trustedKeys[1]"',
    ]);
    // A map with no valid entry sets nothing, nor does a jurisdiction with no valid category.
    expect(readPolicy({ feedUrls: { IT: 'ftp://x/IT.json' } }).policy).toEqual({});
    expect(readPolicy({ categories: { IT: { casinos: false } } }).policy).toEqual({});
    expect(readPolicy({ feedUrls: 'https://lists.example.org/IT.json' }).errors).toEqual(['policy key "feedUrls" ignored: not an object']);
  });

  it('applies a valid patch and refuses keys the policy sets', () => {
    const r = applyPatch(DEFAULT_SETTINGS, { categories: { IT: { gambling: false } }, syncIntervalMinutes: 10 }, {});
    expect(r).toMatchObject({ ok: true, settings: { categories: { IT: { gambling: false } }, syncIntervalMinutes: 10 } });
    expect(applyPatch(DEFAULT_SETTINGS, { syncIntervalMinutes: 3 }, {}).ok).toBe(false);
    expect(applyPatch(DEFAULT_SETTINGS, { syncIntervalMinutes: 10 }, { syncIntervalMinutes: 60 })).toEqual({
      ok: false,
      code: 'managed',
      error: 'set by your organisation: syncIntervalMinutes',
    });
  });
});

describe('feed URL precedence', () => {
  it('policy, else the user, else the build default', () => {
    const build = { feedUrls: { IT: 'https://build.example/IT.json', DE: 'https://build.example/DE.json' } };
    const user = { ...DEFAULT_SETTINGS, feedUrls: { IT: 'https://user.example/IT.json' } };
    expect(effectiveSettings(user, {}, [], build).feedUrls).toEqual({ IT: 'https://user.example/IT.json', DE: 'https://build.example/DE.json' });
    const { policy } = readPolicy({ feedUrls: { DE: 'https://org.example/DE.json' } });
    expect(effectiveSettings(user, policy, [], build).feedUrls).toEqual({ IT: 'https://user.example/IT.json', DE: 'https://org.example/DE.json' });
    expect(effectiveSettings(DEFAULT_SETTINGS, {}, []).feedUrls).toEqual({});
  });
});
