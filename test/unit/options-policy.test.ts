// The managed-storage schema (what Chrome validates, dropping a value that does not match before the extension reads it) and the policy the
// background reads (config.ts) describe the same keys and accept the same values; a key the
// organisation sets is refused to the user, whole or per jurisdiction and category.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatch, DEFAULT_SETTINGS, feedUrlIssue, isManaged, PolicySchema, readPolicy } from '../../src/core/config.ts';
import { CATEGORIES } from '../../src/core/feed.ts';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  items?: JsonSchema;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  required?: string[];
}

const root = join(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(join(root, 'extension/managed_schema.json'), 'utf8')) as JsonSchema;
const props = schema.properties ?? {};
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { storage?: { managed_schema?: string } };

/** Only the JSON-schema attributes Chrome's policy schema parser knows. */
const CHROME_ATTRIBUTES = new Set([
  'type',
  'title',
  'description',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'pattern',
  'minimum',
  'maximum',
  'enum',
  'required',
  '$ref',
  'id',
]);

function attributes(s: JsonSchema, path = '$'): string[] {
  const bad = Object.keys(s)
    .filter((k) => !CHROME_ATTRIBUTES.has(k))
    .map((k) => `${path}.${k}`);
  for (const [k, sub] of Object.entries(s.properties ?? {})) bad.push(...attributes(sub, `${path}.${k}`));
  for (const [k, sub] of Object.entries(s.patternProperties ?? {})) bad.push(...attributes(sub, `${path}[${k}]`));
  if (s.additionalProperties) bad.push(...attributes(s.additionalProperties, `${path}[*]`));
  if (s.items) bad.push(...attributes(s.items, `${path}[]`));
  return bad;
}

describe('managed_schema.json', () => {
  it('is the one the manifest names, and uses only attributes Chrome understands', () => {
    expect(manifest.storage?.managed_schema).toBe('managed_schema.json');
    expect(attributes(schema)).toEqual([]);
  });

  it('has exactly the policy keys of config.ts', () => {
    expect(Object.keys(props).sort()).toEqual(Object.keys(PolicySchema.entries).sort());
  });

  it('types each key as the policy reads it', () => {
    const valid: Record<string, unknown> = {
      locked: true,
      jurisdictions: { IT: false },
      categories: { IT: { gambling: false } },
      blockSubresources: false,
      feedUrls: { IT: 'https://lists.example.org/IT.json' },
      syncIntervalMinutes: 60,
      fetchTimeoutSeconds: 30,
      dataMaxAgeMonths: 18,
      trustedKeys: [{ alg: 'Ed25519', keyId: '0123456789abcdef', publicKey: 'AAAA' }],
    };
    expect(readPolicy(valid)).toEqual({ policy: valid, errors: [] });
    for (const [key, value] of Object.entries(valid)) {
      const s = props[key];
      const type = Array.isArray(value) ? 'array' : typeof value === 'number' ? 'integer' : typeof value;
      expect(s?.type, key).toBe(type);
    }
  });

  it('checks types only: Chrome drops a value that fails the schema (a map or list whole), the extension reports each bad entry', () => {
    // Measured in Chromium 156 (test/e2e/policy.e2e.test.ts): one feed URL the pattern refused
    // dropped the whole feedUrls key before the extension could see it, and nothing was reported.
    const constraints = JSON.stringify(schema).match(/"(minimum|maximum|pattern|enum|required)"/g);
    expect(constraints).toBeNull();
  });

  it('names the same categories, and lets every code and category through to the extension', () => {
    const perJurisdiction = props['categories']?.additionalProperties;
    expect(Object.keys(perJurisdiction?.properties ?? {}).sort()).toEqual([...CATEGORIES].sort());
    expect(perJurisdiction?.additionalProperties?.type).toBe('boolean');
    for (const key of ['jurisdictions', 'categories', 'feedUrls']) {
      expect(props[key]?.patternProperties, key).toBeUndefined();
      expect(props[key]?.additionalProperties?.type, key).toBeDefined();
    }
  });
});

describe('settings the organisation sets', () => {
  const policy = readPolicy({
    jurisdictions: { IT: true },
    categories: { IT: { gambling: false } },
    feedUrls: { IT: 'https://lists.example.org/IT.json' },
    syncIntervalMinutes: 60,
  }).policy;

  it('are told apart per jurisdiction and category', () => {
    expect(isManaged(policy, 'jurisdictions', 'IT')).toBe(true);
    expect(isManaged(policy, 'jurisdictions', 'DE')).toBe(false);
    expect(isManaged(policy, 'categories', 'IT', 'gambling')).toBe(true);
    expect(isManaged(policy, 'categories', 'IT', 'copyright')).toBe(false);
    expect(isManaged(policy, 'feedUrls', 'IT')).toBe(true);
    expect(isManaged(policy, 'syncIntervalMinutes')).toBe(true);
    expect(isManaged(policy, 'blockSubresources')).toBe(false);
  });

  it.each([
    [{ jurisdictions: { IT: false } }, 'set by your organisation: jurisdictions.IT'],
    [{ categories: { IT: { gambling: true } } }, 'set by your organisation: categories.IT.gambling'],
    [{ feedUrls: { IT: 'https://other.example.org/IT.json' } }, 'set by your organisation: feedUrls.IT'],
    [{ syncIntervalMinutes: 10 }, 'set by your organisation: syncIntervalMinutes'],
  ])('refuse %j', (patch, error) => {
    expect(applyPatch(DEFAULT_SETTINGS, patch, policy)).toEqual({ ok: false, code: 'managed', error });
  });

  it('leave the keys next to them to the user', () => {
    const r = applyPatch(
      DEFAULT_SETTINGS,
      {
        jurisdictions: { DE: true },
        categories: { IT: { copyright: false } },
        feedUrls: { DE: 'https://lists.example.org/DE.json' },
        blockSubresources: false,
      },
      policy,
    );
    expect(r).toMatchObject({
      ok: true,
      settings: {
        jurisdictions: { IT: true, DE: true },
        categories: { IT: { copyright: false } },
        feedUrls: { DE: 'https://lists.example.org/DE.json' },
        blockSubresources: false,
      },
    });
  });

  it('a feed map that keeps the managed entry as it was is accepted', () => {
    const user = { ...DEFAULT_SETTINGS, feedUrls: { IT: 'https://mine.example.org/IT.json' } };
    expect(applyPatch(user, { feedUrls: { IT: 'https://mine.example.org/IT.json', DE: 'https://lists.example.org/DE.json' } }, policy).ok).toBe(true);
    expect(applyPatch(user, { feedUrls: { DE: 'https://lists.example.org/DE.json' } }, policy)).toEqual({
      ok: false,
      code: 'managed',
      error: 'set by your organisation: feedUrls.IT',
    });
  });

  it('feed URL issues are codes the pages translate', () => {
    expect(feedUrlIssue('https://x.example/IT.json')).toBeNull();
    expect(feedUrlIssue('nope')).toBe('not-url');
    expect(feedUrlIssue('https://u:p@x.example/')).toBe('credentials');
    expect(feedUrlIssue('http://x.example/')).toBe('insecure');
  });
});
