// oidc-provider warns, at import and while it runs, that Node 20 is not its preferred runtime and
// that its in-memory adapter and keys are for development: true, and beside the point in tests.
const log = { info: console.info, warn: console.warn };
const quiet = (write: (...args: unknown[]) => void) => (...args: unknown[]) => (String(args[0]).includes('oidc-provider') ? undefined : write(...args));
console.info = quiet(log.info);
console.warn = quiet(log.warn);

export { log };
