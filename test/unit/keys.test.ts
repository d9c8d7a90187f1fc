// Every public key under keys/ is trusted by the extension (src/background/settings.ts): each must
// parse, and its id must be the one its bytes give, or it would be dropped or never match.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromBase64, keyIdOf, parsePublicKey } from '../../src/core/signature.ts';

const dir = join(import.meta.dirname, '../../keys');
const files = readdirSync(dir).filter((f) => f.endsWith('.pub.json'));

describe('trusted keys in keys/', () => {
  it('include the release key', () => expect(files).toContain('release-2026-12-04.pub.json'));
  it.each(files)('%s parses and its id matches its bytes', async (f) => {
    const key = parsePublicKey(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    expect(key).not.toBeNull();
    expect(await keyIdOf(fromBase64(key?.publicKey ?? ''))).toBe(key?.keyId);
  });
  it('holds no private key', () => expect(readdirSync(dir).filter((f) => f.includes('private'))).toEqual([]));
});
