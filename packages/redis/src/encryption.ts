import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs for GCM
const TAG_BYTES = 16;

/**
 * Turn the `encryptionKey` option into a KeyObject (whose inspect shows no bytes), or a short
 * reason it is unusable. The reason never quotes the key.
 */
export function parseEncryptionKey(input: unknown): KeyObject | string {
  let bytes: Buffer | undefined;
  if (input instanceof Uint8Array) bytes = Buffer.from(input);
  else if (typeof input === 'string') {
    const s = input.trim();
    if (/^[0-9a-fA-F]{64}$/.test(s)) bytes = Buffer.from(s, 'hex');
    // 32 bytes are 43 base64 characters plus one `=`: accept standard and url-safe alphabets.
    else if (/^[A-Za-z0-9+/]{43}=?$/.test(s)) bytes = Buffer.from(s, 'base64');
    else if (/^[A-Za-z0-9_-]{43}$/.test(s)) bytes = Buffer.from(s, 'base64url');
    else return 'must be 32 bytes, given as a Buffer/Uint8Array or a base64, base64url or 64-character hex string';
  } else return 'must be a Buffer/Uint8Array or a string';
  if (bytes.length !== 32) return `must be exactly 32 bytes for AES-256-GCM (got ${bytes.length})`;
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return key;
}

/**
 * AES-256-GCM with a random 12-byte IV. The Redis key is bound as additional authenticated
 * data, so a ciphertext copied under another key (another business's token) fails to open.
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export function encrypt(key: KeyObject, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** The plaintext, or `undefined` when the value is not ours: another key, tampered, truncated. */
export function decrypt(key: KeyObject, value: string, aad: string): string | undefined {
  const parts = value.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
  const iv = Buffer.from(parts[1] ?? '', 'base64url');
  const tag = Buffer.from(parts[2] ?? '', 'base64url');
  const ciphertext = Buffer.from(parts[3] ?? '', 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Whether a stored value is in the encrypted format (of any key). */
export function looksEncrypted(value: string): boolean {
  return value.startsWith(`${VERSION}.`);
}
