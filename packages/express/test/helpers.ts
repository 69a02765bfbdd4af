import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import express4 from 'express4';

export { createBrowser, createClock, createServerTokenLog, expectNoLeaks, sessionUser, useSandboxSuite } from '../../web/test/support/http.js';
export type { SeenResponse } from '../../web/test/support/http.js';

/** Both supported majors, for `describe.each`. */
export const expressVersions = [
  { name: 'Express 4', express: express4 as typeof express5, major: 4 },
  { name: 'Express 5', express: express5, major: 5 },
] as const;

export type ExpressFactory = typeof express5;

/** A running app on 127.0.0.1:0. */
export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: ReturnType<ExpressFactory>): Promise<RunningApp> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
