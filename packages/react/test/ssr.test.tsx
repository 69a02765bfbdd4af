// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { version } from 'react';
import { describe, expect, it } from 'vitest';
import { useBusinessToken } from '../src/index.js';

function Page() {
  const { status, token } = useBusinessToken({ tokenUrl: 'http://127.0.0.1:9/api/layer/business-token' });
  return <p>{`${status}:${token ?? 'none'}`}</p>;
}

describe(`server rendering on React ${version}`, () => {
  it('renders loading with no token, touching no browser API and asking nothing', () => {
    expect(typeof window).toBe('undefined');
    // Port 9 (discard) would refuse a request; none is made: subscribing happens in effects only.
    expect(renderToString(<Page />)).toBe('<p>loading:none</p>');
  });
});
