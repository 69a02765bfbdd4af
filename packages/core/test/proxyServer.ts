import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

/** A forward proxy on 127.0.0.1:0: CONNECT tunnels and absolute-form requests, each recorded. */
export interface TestProxy {
  url: string;
  port: number;
  /** `host:port` of every CONNECT it accepted or refused. */
  connects: string[];
  /** `METHOD absolute-url` of every forwarded request. */
  forwarded: string[];
  /** The Proxy-Authorization header of every request or CONNECT, as received. */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

// RFC 9110 §7.6.1: hop-by-hop fields end at the proxy.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/**
 * A small real proxy, as squid or a corporate gateway behaves: with `credentials` set
 * (`user:password`), anything without the matching Basic Proxy-Authorization gets a 407.
 */
export async function startProxy(options: { credentials?: string } = {}): Promise<TestProxy> {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const authorizations: Array<string | undefined> = [];
  const sockets = new Set<Socket>();
  const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  const allowed = (headers: IncomingHttpHeaders) => {
    authorizations.push(headers['proxy-authorization']);
    return expected === undefined || headers['proxy-authorization'] === expected;
  };

  const server = createServer((req, res) => {
    forwarded.push(`${req.method} ${req.url}`);
    if (!allowed(req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-type': 'text/plain' }).end('proxy authentication required');
      return;
    }
    const target = new URL(req.url ?? '/');
    const headers = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    if (!allowed(req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    forwarded,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TLS front on 127.0.0.1:0 for a plain-http server (TLS terminated here), with its own CA file. */
export interface TlsFront {
  /** `https://127.0.0.1:<port>`: the same paths as the server behind it. */
  origin: string;
  port: number;
  /** The self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  close(): Promise<void>;
}

/** Terminate TLS in front of `targetPort`, with a certificate for 127.0.0.1 made by openssl now. */
export async function startTlsFront(targetPort: number): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'fintoken-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  // openssl is on every machine CI runs on (Debian); a throw here names it.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (clear) => {
    const plain = connect(targetPort, '127.0.0.1');
    sockets.add(plain);
    sockets.add(clear);
    clear.pipe(plain).pipe(clear);
    plain.on('error', () => clear.destroy());
    clear.on('error', () => plain.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    port,
    caFile: cert,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
