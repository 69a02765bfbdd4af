import { exitCodes } from './exitCodes.js';
import { providerIds, providers } from './providers.js';

/** The environment variables, per provider, as the `token --help` epilogue and the README list them. */
export function envHelp(): string {
  const lines = providerIds.flatMap((id) =>
    providers[id].vars.map((v) => `  ${v.name.padEnd(22)}${v.required ? 'required' : 'optional'}  ${v.description}`),
  );
  return [
    'Credentials come from these environment variables, or from the dotenv file given with',
    '--env-file (a variable already set in the environment wins over the file):',
    '',
    ...lines,
  ].join('\n');
}

const meaning: Record<keyof typeof exitCodes, string> = {
  ok: 'success',
  unexpected: 'unexpected error',
  usage: 'usage or configuration error (bad arguments, missing variables, malformed JWT)',
  authentication: 'authentication failed (the provider rejected the credentials)',
  provider: 'provider error (other error status, or an undocumented response)',
  network: 'network error or timeout',
  unsupported: 'not supported by this provider (e.g. --business with layer1)',
};

export function exitCodeHelp(): string {
  return ['Exit codes:', ...Object.entries(exitCodes).map(([k, code]) => `  ${code}  ${meaning[k as keyof typeof exitCodes]}`)].join('\n');
}
