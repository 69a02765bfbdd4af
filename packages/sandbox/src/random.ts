import { createHash } from 'node:crypto';

/**
 * Deterministic randomness from a seed string. Each value is derived from the seed and a label,
 * so adding a credential never shifts the others.
 */
export interface Derivation {
  bytes(label: string, length: number): Buffer;
  /** A random (version 4, RFC 9562 §5.4) UUID. */
  uuid(label: string): string;
  string(label: string, alphabet: string, length: number): string;
}

export const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function createDerivation(seed: string): Derivation {
  const bytes = (label: string, length: number): Buffer => {
    const blocks: Buffer[] = [];
    for (let i = 0; blocks.length * 32 < length; i++) {
      blocks.push(createHash('sha256').update(`${seed}\u0000${label}\u0000${i}`).digest());
    }
    return Buffer.concat(blocks).subarray(0, length);
  };
  return {
    bytes,
    uuid(label) {
      const b = bytes(label, 16);
      b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
      b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
      const hex = b.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
    string(label, alphabet, length) {
      // Two bytes per character keeps the modulo bias negligible for alphabets this small.
      const b = bytes(label, length * 2);
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[b.readUInt16BE(i * 2) % alphabet.length];
      return out;
    },
  };
}

/** A uniform [0, 1) generator (sfc32) seeded from the seed string, for fault probabilities and latencies. */
export function createRng(seed: string): () => number {
  const s = createHash('sha256').update(`${seed}\u0000rng`).digest();
  let a = s.readUInt32LE(0);
  let b = s.readUInt32LE(4);
  let c = s.readUInt32LE(8);
  let d = s.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
