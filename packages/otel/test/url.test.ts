import { describe, expect, it } from 'vitest';
import { endpointTarget } from '../src/url.js';

describe('endpointTarget', () => {
  it("templates Thredfi's business path segment, whatever its case or encoding", () => {
    const id = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';
    for (const segment of [id, id.toLowerCase(), encodeURIComponent(id)]) {
      expect(endpointTarget(`https://sandbox.thredfi.com/v1/platform/${segment}/oauth2/token/`, id)).toEqual({
        full: 'https://sandbox.thredfi.com/v1/platform/{businessId}/oauth2/token/',
        template: '/v1/platform/{businessId}/oauth2/token/',
        address: 'sandbox.thredfi.com',
        port: 443,
      });
    }
  });

  it('leaves a path without the business alone and never keeps user info', () => {
    expect(endpointTarget('http://user:pw@127.0.0.1:8080/oauth2/token', 'biz_1')).toEqual({
      full: 'http://127.0.0.1:8080/oauth2/token',
      template: '/oauth2/token',
      address: '127.0.0.1',
      port: 8080,
    });
  });

  it('gives nothing for a URL it cannot read', () => {
    expect(endpointTarget('not a url', undefined)).toBeUndefined();
  });
});
