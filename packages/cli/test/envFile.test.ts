import { ConfigurationError } from '@fintoken/core';
import { describe, expect, it } from 'vitest';
import { loadEnv, parseEnvFile } from '../src/envFile.js';

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines with export prefixes, quotes, escapes and comments', () => {
    const text = [
      '\uFEFF# comment',
      '',
      'PLAIN=value',
      'export EXPORTED = spaced  ',
      'DOUBLE="a \\"quoted\\" #not-a-comment\\nline"',
      "SINGLE='lit\\eral # kept'  # comment",
      'BACKTICK=`b`',
      'INLINE=abc # trailing comment',
      'HASH=pa#ss',
      'EMPTY=',
      'WINDOWS=crlf\r',
    ].join('\n');
    expect(parseEnvFile(text)).toEqual({
      PLAIN: 'value',
      EXPORTED: 'spaced',
      DOUBLE: 'a "quoted" #not-a-comment\nline',
      SINGLE: 'lit\\eral # kept',
      BACKTICK: 'b',
      INLINE: 'abc',
      HASH: 'pa#ss',
      EMPTY: '',
      WINDOWS: 'crlf',
    });
  });

  it.each(['NO_EQUALS', '1BAD=x', 'OPEN="never closed', "AFTER='x' junk"])('rejects %j naming the line, never its content', (line) => {
    const run = () => parseEnvFile(`OK=1\n${line}\n`, 'f.env');
    expect(run).toThrow(ConfigurationError);
    expect(run).toThrow('f.env: line 2 is not KEY=VALUE');
    try {
      run();
    } catch (error) {
      expect((error as Error).message).not.toContain(line);
    }
  });
});

describe('loadEnv', () => {
  it('returns the environment untouched without a file', async () => {
    const env = { A: '1' };
    expect(await loadEnv(env, undefined)).toBe(env);
  });
});
