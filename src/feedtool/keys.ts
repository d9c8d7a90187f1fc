// Key files on disk: the private key is written owner-only and never inside a feed folder.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPair, parsePrivateKey, parsePublicKey, type PrivateKeyFile, type PublicKeyFile } from '../core/signature.ts';

export class KeyError extends Error {
  override readonly name = 'KeyError';
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KeyError(`${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new KeyError(`${what} ${path}: not valid JSON`);
  }
}

export function readPublicKey(path: string): PublicKeyFile {
  const key = parsePublicKey(readJson(path, 'public key'));
  if (!key) throw new KeyError(`public key ${path}: not an Ed25519 public key file (alg, keyId, publicKey)`);
  return key;
}

export function readPrivateKey(path: string): PrivateKeyFile {
  const key = parsePrivateKey(readJson(path, 'signing key'));
  if (!key) throw new KeyError(`signing key ${path}: not an Ed25519 private key file (alg, keyId, privateKeyPkcs8, publicKey)`);
  return key;
}

/** Writes PREFIX.private.json (mode 0600) and PREFIX.pub.json; refuses to overwrite. */
export async function writeKeyPair(prefix: string, comment?: string): Promise<{ privatePath: string; publicPath: string; keyId: string }> {
  const privatePath = `${prefix}.private.json`;
  const publicPath = `${prefix}.pub.json`;
  for (const p of [privatePath, publicPath]) if (existsSync(p)) throw new KeyError(`${p} already exists; refusing to overwrite a key`);
  const { privateKey, publicKey } = await generateKeyPair();
  const pub: PublicKeyFile = comment ? { ...publicKey, comment } : publicKey;
  writeFileSync(privatePath, `${JSON.stringify(privateKey, null, 1)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(privatePath, 0o600);
  writeFileSync(publicPath, `${JSON.stringify(pub, null, 1)}\n`, { flag: 'wx' });
  return { privatePath, publicPath, keyId: publicKey.keyId };
}
