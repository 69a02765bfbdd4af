import type { Sandbox } from './types.js';

/** A human-readable summary of a running sandbox: where each emulator is and how to log in. */
export function formatBanner(sandbox: Sandbox): string {
  const { urls, credentials: c, businesses: b } = sandbox;
  const rows = (entries: Array<[string, string]>): string =>
    entries.map(([k, v]) => `    ${k.padEnd(14)} ${v}`).join('\n');
  return [
    `fintoken sandbox listening on ${sandbox.url}`,
    '',
    '  Layer',
    rows([
      ['token', `POST ${urls.layer.authUrl}`],
      ['api', urls.layer.apiUrl],
      ['client_id', c.layer.clientId],
      ['client_secret', c.layer.clientSecret],
      ['businesses', b.layer.active.join(', ')],
      ['archived', b.layer.archived],
    ]),
    '',
    '  Thredfi',
    rows([
      ['base', urls.thredfi.baseUrl],
      ['partner_uuid', c.thredfi.partnerId],
      ['api_key', c.thredfi.apiKey],
      ['businesses', b.thredfi.owned.join(', ')],
      ['foreign', b.thredfi.foreign],
    ]),
    '',
    '  Asset',
    rows([
      ['base', urls.asset.baseUrl],
      ['client_id', c.asset.clientId],
      ['client_secret', c.asset.clientSecret],
      ['businesses', b.asset.allowed.join(', ')],
      ['forbidden', b.asset.forbidden],
    ]),
    '',
    '  Layer1',
    rows([
      ['token', `POST ${urls.layer1.tokenUrl}`],
      ['api', urls.layer1.apiUrl],
      ['client_id', c.layer1.clientId],
      ['client_secret', c.layer1.clientSecret],
    ]),
    '',
    `  Admin          ${urls.admin}/info (stats, faults, clock: see the README)`,
    '',
  ].join('\n');
}
