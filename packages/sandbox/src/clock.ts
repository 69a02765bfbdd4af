/** The sandbox's notion of time: the wall clock plus a settable skew, to emulate a provider whose clock is off. */
export interface Clock {
  now(): number;
  nowSeconds(): number;
  setSkewMs(ms: number): void;
  skewMs(): number;
  /** IMF-fixdate for the Date header (RFC 9110 §6.6.1), cached per second: it is on every response. */
  httpDate(): string;
}

export function createClock(): Clock {
  let skew = 0;
  let cachedSecond = Number.NaN;
  let cachedDate = '';
  const now = (): number => Date.now() + skew;
  return {
    now,
    nowSeconds: () => Math.floor(now() / 1000),
    setSkewMs(ms) {
      if (!Number.isFinite(ms)) throw new TypeError('skew must be a finite number of milliseconds');
      skew = ms;
    },
    skewMs: () => skew,
    httpDate() {
      const second = Math.floor(now() / 1000);
      if (second !== cachedSecond) {
        cachedSecond = second;
        cachedDate = new Date(second * 1000).toUTCString();
      }
      return cachedDate;
    },
  };
}
