import { ConfigurationError } from '@fintoken/core';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createOAuth2Client, type OAuth2ClientOptions } from '../src/index.js';

const refused = (options: unknown, message: RegExp) => {
  let error: unknown;
  try {
    createOAuth2Client(options as OAuth2ClientOptions);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(String(error)).toMatch(message);
  expect(JSON.stringify(error) + String(error)).not.toContain('s3cret-PLANTED');
};

describe('options', () => {
  it('names each bad field and never its value', () => {
    refused({ clientId: '', clientSecret: 's3cret-PLANTED', tokenUrl: 'https://as.example/token' }, /clientId: must not be empty/);
    refused({ clientId: 'c', clientSecret: 's3cret-PLANTED', tokenUrl: 'https://as.example/token', typo: 1 }, /typo|Unrecognized/i);
    refused({ clientId: 'c', clientSecret: 's3cret-PLANTED' }, /issuer or tokenUrl is required/);
    refused({ clientId: 'c', clientSecret: '', issuer: 'https://as.example' }, /clientSecret: is required and must be a non-empty string/);
  });

  it('refuses plain http off loopback unless allowInsecureHttp, and an issuer with a query', () => {
    refused({ clientId: 'c', clientSecret: 's3cret-PLANTED', issuer: 'http://as.example' }, /issuer: must use https/);
    expect(() => createOAuth2Client({ clientId: 'c', clientSecret: 'x', issuer: 'http://as.example', allowInsecureHttp: true })).not.toThrow();
    refused({ clientId: 'c', clientSecret: 's3cret-PLANTED', issuer: 'https://as.example/?tenant=1' }, /must not contain a query/);
  });

  it('wants one way to authenticate, and a method that fits it', () => {
    refused({ clientId: 'c', issuer: 'https://as.example' }, /one way to authenticate is required/);
    refused({ clientId: 'c', issuer: 'https://as.example', clientSecret: 's3cret-PLANTED', privateKey: 'x' }, /not both/);
    refused({ clientId: 'c', issuer: 'https://as.example', clientSecret: 's3cret-PLANTED', authMethod: 'private_key_jwt' }, /does not use clientSecret/);
    refused({ clientId: 'c', issuer: 'https://as.example', clientSecret: 's3cret-PLANTED', parameters: { client_id: 'x' } }, /parameters\.client_id/);
    refused({ clientId: 'c', issuer: 'https://as.example', tls: { cert: 'c', key: 'k' }, dispatcher: new Agent() }, /tls or dispatcher, not both/);
    refused({ clientId: 'c', issuer: 'https://as.example', clientSecret: 's3cret-PLANTED', dpop: { privateKey: {} as never } }, /dpop/);
  });
});
