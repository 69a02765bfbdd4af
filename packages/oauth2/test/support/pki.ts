import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  cert: string;
  key: string;
}

/** Certificates made for one test run with openssl: a CA, the server's, and clients'. */
export interface Pki {
  ca: Pem;
  /** For 127.0.0.1, signed by the CA. */
  server: Pem;
  /** CN=fintoken-client, signed by the CA: the `tls_client_auth` client. */
  client: Pem;
  /** CN=fintoken-other, signed by the same CA: someone else's certificate. */
  other: Pem;
  /** CN=fintoken-self-signed: the `self_signed_tls_client_auth` client. */
  selfSigned: Pem;
  /** A second self-signed certificate, for rotation. */
  selfSignedNext: Pem;
}

/** Generate the run's certificates (EC P-256, one day) in a temporary directory, then remove it. */
export function generatePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'fintoken-oauth2-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const read = (name: string): Pem => ({ cert: readFileSync(join(dir, `${name}.crt`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') });
  const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  const selfSigned = (name: string, subject: string, extensions: string[] = []) => {
    key(name);
    openssl('req', '-x509', '-new', '-key', `${name}.key`, '-subj', subject, '-days', '1', '-out', `${name}.crt`, ...extensions.flatMap((e) => ['-addext', e]));
  };
  const signed = (name: string, subject: string, extension: string) => {
    key(name);
    openssl('req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  };
  try {
    selfSigned('ca', '/CN=fintoken test CA', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign']);
    signed('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth');
    signed('client', '/CN=fintoken-client', 'extendedKeyUsage=clientAuth');
    signed('other', '/CN=fintoken-other', 'extendedKeyUsage=clientAuth');
    selfSigned('self', '/CN=fintoken-self-signed');
    selfSigned('self-next', '/CN=fintoken-self-signed');
    return { ca: read('ca'), server: read('server'), client: read('client'), other: read('other'), selfSigned: read('self'), selfSignedNext: read('self-next') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RFC 8705 §3.1 `x5t#S256`, computed the way a server does (Node's X509Certificate), to compare with. */
export function x5tS256(cert: string): string {
  return Buffer.from(new X509Certificate(cert).fingerprint256.replace(/:/g, ''), 'hex').toString('base64url');
}
