/**
 * Commander's messages quote what they refuse: `unknown option '--token=SECRET'`, `unknown
 * command 'SECRET'`, `option '--timeout <ms>' argument 'SECRET' is invalid`, `command-argument
 * value 'SECRET' is invalid`. A refused argument may be a secret typed in the wrong place, so
 * nothing the CLI prints repeats one: values become `(value not shown)`, an unknown option keeps
 * only a name that looks like one (`--token`, from `--token=SECRET` or `-tSECRET`).
 */
const NOT_SHOWN = '(value not shown)';
const FLAG_NAME = /^--?[A-Za-z][A-Za-z0-9-]{0,40}$/;

/** The option name an unknown-option message may repeat, or nothing. */
function optionName(flag: string): string {
  const name = flag.startsWith('--') ? flag.split('=')[0]! : flag.slice(0, 2);
  return FLAG_NAME.test(name) ? `'${name}'` : NOT_SHOWN;
}

/**
 * `message` without the value of any argument in `argv` (as a whole, or after `=`), except the
 * CLI's own words in `vocabulary` (command names, provider ids), which its messages name.
 */
export function redactRefusedValues(message: string, argv: readonly string[], vocabulary: readonly string[] = []): string {
  let out = message
    .replace(/unknown option '([\s\S]*?)'(?=\s|\(|$)/, (_m, flag: string) => `unknown option ${optionName(flag)}`)
    .replace(/unknown command '[\s\S]*?'(?=\s|\(|$)/, `unknown command ${NOT_SHOWN}`)
    // Greedy to the last match: the value itself may contain the quote and the words after it.
    .replace(/ argument '[\s\S]*' is invalid\./, ` argument ${NOT_SHOWN} is invalid.`)
    .replace(/value '[\s\S]*' is invalid for argument/, `value ${NOT_SHOWN} is invalid for argument`);
  // Whatever a future message quotes: no value from argv survives (names of options may).
  const values = argv.flatMap((arg) => (arg.startsWith('-') ? (arg.includes('=') ? [arg.slice(arg.indexOf('=') + 1)] : []) : [arg]));
  for (const value of values.filter((v) => v.length >= 3 && !vocabulary.includes(v)).sort((a, b) => b.length - a.length)) out = out.split(value).join(NOT_SHOWN);
  return out;
}
