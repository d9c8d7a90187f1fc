// Detached Ed25519 signatures over the exact bytes of a feed file, with WebCrypto only:
// the same code path runs in Node 20, Chromium and Firefox.
import * as v from 'valibot';

const B64 = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'));
const KeyId = v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/, 'a key id is 16 hex digits'));

export const SignatureFileSchema = v.strictObject({
  format: v.literal(1),
  alg: v.literal('Ed25519'),
  keyId: KeyId,
  signature: B64,
});
export const PublicKeySchema = v.strictObject({
  alg: v.literal('Ed25519'),
  keyId: KeyId,
  publicKey: B64,
  comment: v.optional(v.string()),
});
export const PrivateKeySchema = v.strictObject({
  alg: v.literal('Ed25519'),
  keyId: KeyId,
  privateKeyPkcs8: B64,
  publicKey: B64,
});

export type SignatureFile = v.InferOutput<typeof SignatureFileSchema>;
export type PublicKeyFile = v.InferOutput<typeof PublicKeySchema>;
export type PrivateKeyFile = v.InferOutput<typeof PrivateKeySchema>;

export type VerifyResult = { ok: true; keyId: string } | { ok: false; reason: 'malformed-signature' | 'unknown-key' | 'bad-signature'; message: string };

const ED25519 = { name: 'Ed25519' } as const;

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Key id: the first 8 bytes of SHA-256 over the raw 32-byte public key, as hex. */
export async function keyIdOf(rawPublicKey: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', rawPublicKey as BufferSource));
  return Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function generateKeyPair(): Promise<{ privateKey: PrivateKeyFile; publicKey: PublicKeyFile }> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const keyId = await keyIdOf(raw);
  return {
    privateKey: { alg: 'Ed25519', keyId, privateKeyPkcs8: toBase64(pkcs8), publicKey: toBase64(raw) },
    publicKey: { alg: 'Ed25519', keyId, publicKey: toBase64(raw) },
  };
}

export async function sign(bytes: Uint8Array, key: PrivateKeyFile): Promise<SignatureFile> {
  const pk = await crypto.subtle.importKey('pkcs8', fromBase64(key.privateKeyPkcs8) as BufferSource, ED25519, false, ['sign']);
  const sig = new Uint8Array(await crypto.subtle.sign(ED25519, pk, bytes as BufferSource));
  return { format: 1, alg: 'Ed25519', keyId: key.keyId, signature: toBase64(sig) };
}

export function serializeSignature(sig: SignatureFile): string {
  return `${JSON.stringify(sig, null, 1)}\n`;
}

/** Parses a `.sig` file's text; null when it is not one. */
export function parseSignature(text: string): SignatureFile | null {
  try {
    const r = v.safeParse(SignatureFileSchema, JSON.parse(text));
    return r.success ? r.output : null;
  } catch {
    return null;
  }
}

export function parsePublicKey(value: unknown): PublicKeyFile | null {
  const r = v.safeParse(PublicKeySchema, value);
  return r.success ? r.output : null;
}

export function parsePrivateKey(value: unknown): PrivateKeyFile | null {
  const r = v.safeParse(PrivateKeySchema, value);
  return r.success ? r.output : null;
}

/** Verifies `bytes` against a detached signature, trusting only `trusted` keys. */
export async function verify(bytes: Uint8Array, signatureText: string, trusted: readonly PublicKeyFile[]): Promise<VerifyResult> {
  const sig = parseSignature(signatureText);
  if (!sig) return { ok: false, reason: 'malformed-signature', message: 'signature file is missing or malformed' };
  const key = trusted.find((k) => k.keyId === sig.keyId);
  if (!key) return { ok: false, reason: 'unknown-key', message: `signed by key ${sig.keyId}, which is not trusted` };
  const raw = fromBase64(key.publicKey);
  if (raw.length !== 32 || (await keyIdOf(raw)) !== key.keyId) {
    return { ok: false, reason: 'unknown-key', message: `trusted key ${key.keyId} does not match its id` };
  }
  let good = false;
  try {
    const pub = await crypto.subtle.importKey('raw', raw as BufferSource, ED25519, false, ['verify']);
    good = await crypto.subtle.verify(ED25519, pub, fromBase64(sig.signature) as BufferSource, bytes as BufferSource);
  } catch {
    good = false;
  }
  return good ? { ok: true, keyId: key.keyId } : { ok: false, reason: 'bad-signature', message: 'signature does not match the feed bytes' };
}

export { utf8 as encodeUtf8 };
