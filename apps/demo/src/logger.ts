/** Where log lines go: stdout by default, an array in tests. */
export type LogSink = (line: string) => void;

export interface Logger {
  /** One JSON line: `time`, then the fields given. Callers pass no secret and no token. */
  log(fields: Record<string, unknown>): void;
}

const stdout: LogSink = (line) => process.stdout.write(`${line}\n`);

/** JSON lines (one object per line), the format log shippers read without configuration. */
export function createLogger(sink: LogSink = stdout): Logger {
  return {
    log(fields) {
      const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      sink(JSON.stringify({ time: new Date().toISOString(), ...clean }));
    },
  };
}
