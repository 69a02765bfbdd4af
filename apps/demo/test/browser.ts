import type { LaunchOptions } from 'playwright-core';

/** The system Chromium (never `playwright install`), quiet: no network beyond loopback. */
export const launchOptions: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
