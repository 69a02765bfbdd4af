import {
  AuthenticationError,
  ConfigurationError,
  InvalidRequestError,
  NetworkError,
  ProviderError,
  ResponseValidationError,
  TimeoutError,
  UnsupportedError,
} from '@fintoken/core';
import { CommanderError } from 'commander';

/**
 * The process exit status per kind of failure, so scripts can tell a wrong secret (fix the
 * credentials) from a provider outage (retry later) without parsing messages. Stable: part of
 * the CLI's public contract, listed in the README.
 */
export const exitCodes = {
  ok: 0,
  /** A bug or anything not classified below. */
  unexpected: 1,
  /** Bad arguments, missing or invalid environment variables, an unreadable --env-file, a malformed JWT. */
  usage: 2,
  /** The provider rejected the credentials (401, `invalid_client`). */
  authentication: 3,
  /** The provider answered with another error status, or with a body that is not its documented shape. */
  provider: 4,
  /** The provider could not be reached, or did not answer in time. */
  network: 5,
  /** The provider cannot do what was asked, e.g. `--business` with Layer1. */
  unsupported: 6,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** Map anything thrown to an exit status, by core's error classes (their `code`s are stable). */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  if (error instanceof ConfigurationError || error instanceof InvalidRequestError) return exitCodes.usage;
  // AuthenticationError extends ProviderError: test it first.
  if (error instanceof AuthenticationError) return exitCodes.authentication;
  if (error instanceof ProviderError || error instanceof ResponseValidationError) return exitCodes.provider;
  if (error instanceof NetworkError || error instanceof TimeoutError) return exitCodes.network;
  if (error instanceof UnsupportedError) return exitCodes.unsupported;
  return exitCodes.unexpected;
}
