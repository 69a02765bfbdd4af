/** `base` (origin plus optional path prefix) joined with `path`, with exactly one slash between. */
export function joinUrl(base: string, path: string): string {
  return `${trimTrailingSlash(base)}/${path.replace(/^\/+/, '')}`;
}

/** `https://x.example/api/` -> `https://x.example/api`: documented paths are appended to it. */
export function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
