import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../src/runCli.js';
import { call } from './helpers.js';

function capture(): CliIo & { out: (t: string) => void; output: () => string; errors: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), output: () => out, errors: () => err };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('fintoken-sandbox CLI', () => {
  it('starts all four emulators and prints URLs, credentials and business ids', async () => {
    const io = capture();
    const sandbox = await runCli(['--port', '0', '--seed', 'demo'], io);
    try {
      expect(sandbox).toBeDefined();
      const text = io.output();
      expect(text).toContain(`listening on ${sandbox!.url}`);
      for (const value of [
        sandbox!.urls.layer.authUrl,
        sandbox!.credentials.layer.clientSecret,
        sandbox!.credentials.thredfi.apiKey,
        sandbox!.credentials.asset.clientId,
        sandbox!.credentials.layer1.clientSecret,
        sandbox!.businesses.asset.allowed[0]!,
        sandbox!.urls.admin,
      ]) {
        expect(text).toContain(value);
      }
      expect((await call(`${sandbox!.urls.admin}/info`)).status).toBe(200);
    } finally {
      await sandbox?.close();
    }
  });

  it('prints usage for --help and exits 2 on bad arguments', async () => {
    const help = capture();
    expect(await runCli(['--help'], help)).toBeUndefined();
    expect(help.output()).toMatch(/Usage: fintoken-sandbox/);

    const badPort = capture();
    expect(await runCli(['--port', 'abc'], badPort)).toBeUndefined();
    expect(badPort.errors()).toMatch(/--port/);
    expect(process.exitCode).toBe(2);

    const unknown = capture();
    expect(await runCli(['--colour'], unknown)).toBeUndefined();
    expect(unknown.errors()).toMatch(/Unknown option/);
  });
});
