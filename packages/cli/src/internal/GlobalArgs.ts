/**
 * Global options written before the command (`social-messaging --region eu-west-1 list-…`), as the AWS CLI
 * accepts them. @effect/cli reads a command's options only after the command's name, so `hoist` moves them
 * there before it parses.
 */

/** What `hoist` moves, and past what. */
export interface Spec {
  /** Global options that take a value: `--region R` or `--region=R`. */
  readonly valued: ReadonlyArray<string>
  /** Global options without one: `--debug`. */
  readonly switches: ReadonlyArray<string>
  /** Root built-ins that take a value and may precede a command (`--log-level X`): skipped, left in place. */
  readonly rootValued: ReadonlyArray<string>
  /** The commands that accept the global options. */
  readonly commands: ReadonlyArray<string>
}

/**
 * Moves the global options (with their values) found before the first command word to just after it.
 * `args` excludes the program (`process.argv.slice(2)`). Anything else is returned unchanged: no global
 * option first, no command after them (`--help`, `--version`, `--completions bash`), an unknown word, or a
 * command that takes no global options (`sandbox`).
 */
export const hoist = (args: ReadonlyArray<string>, spec: Spec): ReadonlyArray<string> => {
  const kept: Array<string> = []
  const moved: Array<string> = []
  let i = 0
  for (;;) {
    const arg = args[i]
    const value = args[i + 1]
    if (arg === undefined) return args
    if (spec.switches.includes(arg) || spec.valued.some((name) => arg.startsWith(`${name}=`))) {
      moved.push(arg)
      i += 1
    } else if (spec.valued.includes(arg) && value !== undefined) {
      moved.push(arg, value)
      i += 2
    } else if (spec.rootValued.includes(arg) && value !== undefined) {
      kept.push(arg, value)
      i += 2
    } else {
      return moved.length > 0 && spec.commands.includes(arg) ? [...kept, arg, ...moved, ...args.slice(i + 1)] : args
    }
  }
}

/** `hoist` on a whole `process.argv` (the runtime and the script stay first). */
export const hoistArgv = (argv: ReadonlyArray<string>, spec: Spec): ReadonlyArray<string> => [
  ...argv.slice(0, 2),
  ...hoist(argv.slice(2), spec)
]
