// Ed25519 detached signatures with throwaway keys.
import { describe, expect, it } from 'vitest';
import { encodeUtf8, fromBase64, generateKeyPair, keyIdOf, parseSignature, serializeSignature, sign, toBase64, verify } from '../../src/core/signature.ts';

describe('signature', () => {
  it('signs, verifies, and rejects a flipped byte, a wrong key and a malformed signature', async () => {
    const a = await generateKeyPair();
    const b = await generateKeyPair();
    const bytes = encodeUtf8('{"format":1}\n');
    const sig = serializeSignature(await sign(bytes, a.privateKey));
    expect(await verify(bytes, sig, [b.publicKey, a.publicKey])).toEqual({ ok: true, keyId: a.publicKey.keyId });
    const flipped = bytes.slice();
    flipped[2] = (flipped[2] ?? 0) ^ 1;
    expect(await verify(flipped, sig, [a.publicKey])).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(await verify(bytes, sig, [b.publicKey])).toMatchObject({ ok: false, reason: 'unknown-key' });
    expect(await verify(bytes, sig.slice(0, 30), [a.publicKey])).toMatchObject({ ok: false, reason: 'malformed-signature' });
    // A key file whose id does not match its key is not trusted.
    expect(await verify(bytes, sig, [{ ...b.publicKey, keyId: a.publicKey.keyId }])).toMatchObject({ ok: false, reason: 'unknown-key' });
  });

  it('key id is the first 8 bytes of SHA-256 over the raw key', async () => {
    const { publicKey } = await generateKeyPair();
    expect(publicKey.keyId).toBe(await keyIdOf(fromBase64(publicKey.publicKey)));
    expect(publicKey.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(fromBase64(publicKey.publicKey)).toHaveLength(32);
  });

  it('base64 round trip and signature file parsing', () => {
    const bytes = new Uint8Array(70000).map((_, i) => i % 251);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(parseSignature('not json')).toBeNull();
    expect(parseSignature('{"format":1,"alg":"Ed25519","keyId":"0011223344556677","signature":"AA=="}')).not.toBeNull();
  });
});
