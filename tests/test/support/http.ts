import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { Agent, request } from 'undici';

/** An app listening on 127.0.0.1:0. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One response as a browser sees it. */
export interface Seen {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: Record<string, any> | undefined;
}

/** Plays the browser, keeping every response so the file can scan them all at the end. */
export function createBrowser() {
  const agent = new Agent({ connections: 16 });
  const seen: Seen[] = [];
  return {
    seen,
    async send(url: string, method = 'POST', requestHeaders: Record<string, string> = {}): Promise<Seen> {
      const response = await request(url, { method: method as 'POST', headers: requestHeaders, dispatcher: agent });
      const text = await response.body.text();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      let json: Record<string, any> | undefined;
      try {
        json = JSON.parse(text) as Record<string, any>;
      } catch {
        json = undefined;
      }
      const result = { status: response.statusCode, headers, text, json };
      seen.push(result);
      return result;
    },
    close: () => agent.close(),
  };
}
