import { ConfigurationError } from '@fintoken/core';

// Flags someone might reach for to pass a credential. argv is readable by every user of the
// machine (`ps`, /proc/<pid>/cmdline) and lands in shell history, so there are no such flags.
const CREDENTIAL_FLAG = /^--?(client[-_]?id|client[-_]?secret|secret|api[-_]?key|partner[-_]?(id|uuid)|password|access[-_]?token)(=|$)/i;

/**
 * Refuse a credential on the command line before anything else parses argv, with a message
 * that names only the flag: commander's own "unknown option '--client-secret=...'" would echo
 * the secret.
 */
export function refuseCredentialFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    const match = CREDENTIAL_FLAG.exec(arg);
    if (match) {
      throw new ConfigurationError(
        `--${match[1]}: credentials are never read from the command line, where other users can see them (ps) and shell history keeps them. ` +
          'Set them in the environment (e.g. LAYER_CLIENT_ID, LAYER_CLIENT_SECRET) or in a dotenv file given with --env-file; see `fintoken token --help`',
      );
    }
  }
}
