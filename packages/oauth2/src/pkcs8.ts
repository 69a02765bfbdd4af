/** The kinds of signing key the client knows algorithms for. */
export type KeyKind = 'RSA' | 'RSA-PSS' | 'P-256' | 'P-384' | 'P-521' | 'Ed25519';

// AlgorithmIdentifier OIDs (DER content bytes, hex): RFC 8017 A.1, RFC 5480 §2.1.1, RFC 8410 §3.
const KEY_OIDS: Record<string, KeyKind | 'EC'> = {
  '2a864886f70d010101': 'RSA', // rsaEncryption
  '2a864886f70d01010a': 'RSA-PSS', // id-RSASSA-PSS
  '2a8648ce3d0201': 'EC', // id-ecPublicKey, its curve in the parameters
  '2b6570': 'Ed25519', // id-Ed25519
};
const CURVE_OIDS: Record<string, KeyKind> = {
  '2a8648ce3d030107': 'P-256', // prime256v1
  '2b81040022': 'P-384', // secp384r1
  '2b81040023': 'P-521', // secp521r1
};

/**
 * The kind of key in a PKCS#8 PEM (RFC 5208 §5: PrivateKeyInfo ::= SEQUENCE { version,
 * privateKeyAlgorithm AlgorithmIdentifier, privateKey, ... }), read from its algorithm OID so that
 * the JWS algorithm can be chosen before jose imports it (`importPKCS8` needs one). Undefined for
 * anything this does not recognise. Reads only the header: the key bytes are not touched.
 */
export function pkcs8KeyKind(pem: string): KeyKind | undefined {
  const match = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem);
  if (match === null) return undefined;
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob(match[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  const reader = derReader(der);
  if (!reader.enter(0x30)) return undefined; // PrivateKeyInfo
  if (!reader.skip(0x02)) return undefined; // version
  if (!reader.enter(0x30)) return undefined; // AlgorithmIdentifier
  const algorithm = reader.read(0x06);
  if (algorithm === undefined) return undefined;
  const kind = KEY_OIDS[hex(algorithm)];
  if (kind !== 'EC') return kind;
  const curve = reader.read(0x06);
  return curve === undefined ? undefined : CURVE_OIDS[hex(curve)];
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Just enough DER (X.690 §8.1) to walk the first elements of a structure. */
function derReader(der: Uint8Array) {
  let at = 0;
  const header = (tag: number): number | undefined => {
    if (der[at] !== tag) return undefined;
    let length = der[at + 1];
    if (length === undefined) return undefined;
    at += 2;
    if (length & 0x80) {
      const octets = length & 0x7f;
      if (octets === 0 || octets > 3) return undefined;
      length = 0;
      for (let i = 0; i < octets; i++) length = (length << 8) | (der[at++] ?? 0);
    }
    return at + length <= der.length ? length : undefined;
  };
  return {
    /** Step into a constructed element. */
    enter: (tag: number) => header(tag) !== undefined,
    /** Step over an element. */
    skip(tag: number) {
      const length = header(tag);
      if (length === undefined) return false;
      at += length;
      return true;
    },
    /** The content of a primitive element. */
    read(tag: number) {
      const length = header(tag);
      if (length === undefined) return undefined;
      const content = der.subarray(at, at + length);
      at += length;
      return content;
    },
  };
}
