export type ThredfiEnvironment = 'sandbox' | 'production';

// The only host the seed names; it publishes no production host, so production must be told.
export const SANDBOX_BASE_URL = 'https://sandbox.thredfi.com';
