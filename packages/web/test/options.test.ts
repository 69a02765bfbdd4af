import { ConfigurationError, createToken, type TokenClient } from '@fintoken/core';
import { describe, expect, it } from 'vitest';
import { businessTokenRoute, withToken } from '../src/index.js';

const SECRET = 'sk_live_this-must-never-be-printed';
const okClient: TokenClient = {
  provider: 'stub',
  getToken: async () => createToken({ accessToken: 'x', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }),
};
const allowB = (): string => 'b';

/** The ConfigurationError a factory throws for these options (fails the test if none). */
function configurationError(make: () => unknown): ConfigurationError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('businessTokenRoute construction', () => {
  it('requires authorize: there is no default that lets everyone through', () => {
    expect(configurationError(() => businessTokenRoute({ client: okClient } as never)).message).toMatch(/^businessTokenRoute: .*authorize: is required/);
    expect(configurationError(() => businessTokenRoute({ client: okClient, authorize: 'everyone' } as never)).message).toMatch(/authorize/);
  });

  it('needs no rateLimit key: the authorized identity is counted by default', () => {
    expect(() => businessTokenRoute({ client: okClient, authorize: allowB, rateLimit: { windowMs: 1000, max: 5 } })).not.toThrow();
  });

  it.each([
    ['a missing client', { authorize: allowB }, /client: is required/],
    ['a client without getToken', { client: { secret: SECRET }, authorize: allowB }, /client:/],
    ['a fractional sessionDuration', { client: okClient, authorize: allowB, sessionDuration: 1.5 }, /sessionDuration/],
    ['a rateLimit without max', { client: okClient, authorize: allowB, rateLimit: { windowMs: 1000, key: () => 'k' } }, /rateLimit: max/],
    ['a rateLimit key that is not a function', { client: okClient, authorize: allowB, rateLimit: { windowMs: 1000, max: 5, key: SECRET } }, /rateLimit: key must be a function/],
    ['a non-function request', { client: okClient, authorize: allowB, request: SECRET }, /request: /],
    ['no options at all', undefined, /options must be an object/],
  ])('rejects %s with a ConfigurationError naming the field, not its value', (_what, options, message) => {
    const error = configurationError(() => businessTokenRoute(options as never));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });
});

describe('withToken construction', () => {
  it.each([
    ['a missing client', {}, /client: is required/],
    ['an http apiUrl on a public host', { client: okClient, apiUrl: 'http://api.example.com' }, /apiUrl: must use https/],
    ['a relative apiUrl', { client: okClient, apiUrl: '/v1' }, /apiUrl: must be an absolute URL/],
  ])('rejects %s', (_what, options, message) => {
    expect(configurationError(() => withToken(options as never, () => new Response())).message).toMatch(message);
  });

  it('accepts https and loopback http API URLs', () => {
    expect(() => withToken({ client: okClient, apiUrl: 'https://api.example.com/v1' }, () => new Response())).not.toThrow();
    expect(() => withToken({ client: okClient, apiUrl: 'http://127.0.0.1:8080' }, () => new Response())).not.toThrow();
  });
});
