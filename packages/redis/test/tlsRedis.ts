import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { freePort, spawnRedis, type RedisProcess } from './redisProcess.js';

const run = promisify(execFile);

export interface TlsRedis {
  /** TLS port (there is no plain-text port). */
  readonly port: number;
  /** PEM of the CA that signed the server's certificate (for IP 127.0.0.1 only, not `localhost`). */
  readonly ca: string;
  /** PEM of another CA, which signed nothing this server shows. */
  readonly otherCa: string;
  readonly password: string;
  close(): Promise<void>;
}

/**
 * A redis-server speaking only TLS, with a password, its certificate signed by a CA made here
 * with openssl (P-256 keys, one day of validity), in a temporary directory.
 */
export async function startTlsRedis(password: string): Promise<TlsRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'fintoken-tls-'));
  let server: RedisProcess | undefined;
  const close = async () => {
    await server?.kill();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const f = (name: string) => join(dir, name);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    const ca = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign'];
    await run('openssl', ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=fintoken test CA', ...ca]);
    await run('openssl', ['req', '-x509', ...ec, '-keyout', f('other.key'), '-out', f('other.crt'), '-days', '1', '-subj', '/CN=another CA', ...ca]);
    await run('openssl', ['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
    await writeFile(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '1', '-extfile', f('ext.cnf')]);
    const caPem = await readFile(f('ca.crt'), 'utf8');
    const port = await freePort();
    const args = [
      '--port', '0',
      '--tls-port', String(port),
      '--bind', '127.0.0.1',
      '--tls-cert-file', f('server.crt'),
      '--tls-key-file', f('server.key'),
      '--tls-ca-cert-file', f('ca.crt'),
      '--tls-auth-clients', 'no',
      '--requirepass', password,
      '--dir', dir,
      '--save', '',
      '--appendonly', 'no',
    ];
    server = await spawnRedis(port, args, 10_000, () => tlsAnswers(port, caPem));
    return { port, ca: caPem, otherCa: await readFile(f('other.crt'), 'utf8'), password, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Whether a TLS handshake (trusting `ca`) gets any Redis reply to PING (`-NOAUTH` counts). */
function tlsAnswers(port: number, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ port, host: '127.0.0.1', ca });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('secureConnect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => done(/^[+-]/.test(chunk.toString())));
  });
}
